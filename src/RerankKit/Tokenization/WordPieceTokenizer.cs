using RerankKit.Models;
using RerankKit.Tokenization.Json;

namespace RerankKit.Tokenization;

/// <summary>BERT's WordPiece tokenizer, reproducing Hugging Face's BertTokenizer/BertTokenizerFast ids:
/// single text <c>[CLS] a [SEP]</c>, pair <c>[CLS] a [SEP] b [SEP]</c> with token types 0 then 1
/// (or MPNet's layout, see <see cref="BertTokenizerOptions.DoubleSeparatorInPair"/>). Thread-safe.</summary>
/// <remarks>Built alone, it tokenizes text that spells a special token, such as "[SEP]", as ordinary text. Given the
/// folder's whole pipeline (<see cref="HuggingFaceTokenizer"/>), it hands every text in which an added token may
/// occur to that pipeline, which matches added tokens as the tokenizers library does, and keeps the rest, which
/// both tokenize alike, on this faster path.</remarks>
public sealed class WordPieceTokenizer : ITextTokenizer
{
    [ThreadStatic] private static WordBuffer? t_words;
    [ThreadStatic] private static List<int>? t_first;
    [ThreadStatic] private static List<int>? t_second;

    private readonly WordPieceVocabulary _vocabulary;
    private readonly BertTextSplitter _splitter;
    private readonly SequenceTemplate _template;

    private readonly HuggingFaceTokenizer? _addedTokens;

    public WordPieceTokenizer(IReadOnlyList<string> vocabulary, BertTokenizerOptions? options = null)
        : this(vocabulary, options, null)
    {
    }

    /// <param name="addedTokens">The same tokenizer as a full pipeline, for texts that may hold added tokens.</param>
    internal WordPieceTokenizer(IReadOnlyList<string> vocabulary, BertTokenizerOptions? options, HuggingFaceTokenizer? addedTokens)
    {
        _addedTokens = addedTokens;
        Options = options ?? new BertTokenizerOptions();
        _vocabulary = new WordPieceVocabulary(vocabulary, Options.UnkToken, Options.MaxInputCharsPerWord);
        _splitter = new BertTextSplitter(Options.LowerCase, Options.EffectiveStripAccents, Options.TokenizeChineseChars);
        PadTokenId = RequireId(Options.PadToken);
        _template = new SequenceTemplate(RequireId(Options.ClsToken), RequireId(Options.SepToken),
            Options.DoubleSeparatorInPair, secondSegmentTyped: !Options.DoubleSeparatorInPair, id => _vocabulary.Tokens[id]);
    }

    public BertTokenizerOptions Options { get; }

    /// <summary>The folder's whole pipeline this tokenizer hands texts with added tokens to, when it has one.</summary>
    internal HuggingFaceTokenizer? Pipeline => _addedTokens;
    public int PadTokenId { get; }
    public bool UsesTokenTypeIds => !Options.DoubleSeparatorInPair;

    /// <summary>Loads <c>vocab.txt</c> with options from <c>tokenizer_config.json</c> in <paramref name="folder"/>.</summary>
    public static WordPieceTokenizer FromFolder(string folder)
    {
        string vocab = Path.Combine(folder, "vocab.txt");
        if (!File.Exists(vocab))
            throw new ModelLoadException($"no vocab.txt in {folder}");
        return new WordPieceTokenizer(WordPieceVocabulary.ReadVocabFile(vocab), BertTokenizerOptions.From(TokenizerConfig.Load(folder)));
    }

    public EncodedInput Encode(string text, int maxLength)
    {
        if (_addedTokens is not null && _addedTokens.MayMatchAddedTokens(text))
            return _addedTokens.Encode(text, maxLength);
        var ids = t_first ??= [];
        Tokenize(text, ids, maxLength);
        return _template.Single(ids, maxLength);
    }

    public EncodedInput EncodePair(string first, string second, int maxLength)
    {
        if (_addedTokens is not null && (_addedTokens.MayMatchAddedTokens(first) || _addedTokens.MayMatchAddedTokens(second)))
            return _addedTokens.EncodePair(first, second, maxLength);
        var a = t_first ??= [];
        var b = t_second ??= [];
        int comparedA = Tokenize(first, a, maxLength);
        int comparedB = Tokenize(second, b, maxLength);
        return _template.Pair(a, b, maxLength, comparedA, comparedB);
    }

    /// <summary>Fills <paramref name="ids"/> and returns the length longest_first weighs the text at: the library
    /// (0.23) counts whole words only until they reach <paramref name="maxLength"/> tokens.</summary>
    private int Tokenize(string text, List<int> ids, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ids.Clear();
        var words = t_words ??= new WordBuffer();
        _splitter.Split(text, words);
        int compared = -1;
        for (int w = 0; w < words.Count; w++)
        {
            _vocabulary.Segment(words[w], ids);
            if (compared < 0 && ids.Count >= maxLength)
                compared = ids.Count;
        }
        return compared < 0 ? ids.Count : compared;
    }

    /// <summary>The id of a whole vocabulary entry (Hugging Face's <c>convert_tokens_to_ids</c>), or null when the
    /// vocabulary lacks it.</summary>
    public int? TokenId(string token) => _vocabulary.Ids.TryGetValue(token, out int id) ? id : null;

    /// <summary>The vocabulary entry of an id (<c>convert_ids_to_tokens</c>).</summary>
    public string Token(int id) => _vocabulary.Tokens[id];

    private int RequireId(string token) => _vocabulary.Ids.TryGetValue(token, out int id)
        ? id
        : throw new ModelLoadException($"the WordPiece vocabulary has no special token '{token}'");
}
