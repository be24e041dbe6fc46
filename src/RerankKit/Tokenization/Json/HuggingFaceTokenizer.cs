using RerankKit.Models;
using RerankKit.Tokenization.Json.Models;
using RerankKit.Tokenization.Json.Normalizers;
using RerankKit.Tokenization.Json.PostProcessors;
using RerankKit.Tokenization.Json.PreTokenizers;

namespace RerankKit.Tokenization.Json;

/// <summary>A Hugging Face <c>tokenizer.json</c> run as the tokenizers library runs it: added tokens, normalizer,
/// pre-tokenizer, model (WordPiece, BPE, Unigram), truncation and post-processor. Thread-safe.</summary>
/// <remarks>The file's own <c>truncation</c> and <c>padding</c> sections are ignored, as transformers does: the
/// caller passes the maximum length, and batching pads.</remarks>
public sealed class HuggingFaceTokenizer : ITextTokenizer
{
    private readonly INormalizer? _normalizer;
    private readonly IPreTokenizer? _preTokenizer;
    private readonly ITokenizerModel _model;
    private readonly IPostProcessor? _postProcessor;
    private readonly AddedVocabulary _added;
    private readonly Dictionary<string, int> _addedIds;
    private readonly Dictionary<int, string> _addedTokens;

    internal HuggingFaceTokenizer(INormalizer? normalizer, IPreTokenizer? preTokenizer, ITokenizerModel model,
        IPostProcessor? postProcessor, IReadOnlyList<AddedToken> addedTokens, int? padTokenId, TokenizerPaddingSide paddingSide)
    {
        _normalizer = normalizer;
        _preTokenizer = preTokenizer;
        _model = model;
        _postProcessor = postProcessor;
        _added = new AddedVocabulary(addedTokens, normalizer);
        _addedIds = [];
        _addedTokens = [];
        foreach (var t in addedTokens)
        {
            _addedIds.TryAdd(t.Content, t.Id);
            _addedTokens.TryAdd(t.Id, t.Content);
        }
        PadTokenId = padTokenId ?? 0;
        PaddingSide = paddingSide;
        UsesTokenTypeIds = TypesSecondSequence();
    }

    public int PadTokenId { get; }

    /// <summary>True when the post-processor gives the second text of a pair a non-zero type id (BERT-style).</summary>
    public bool UsesTokenTypeIds { get; }

    public TokenizerPaddingSide PaddingSide { get; }

    /// <summary>Added tokens (specials such as [CLS] and user tokens) in the order of the file.</summary>
    public IReadOnlyList<AddedToken> AddedTokens => _added.Tokens;

    /// <summary>Reads a tokenizer.json file. The pad id is that of <paramref name="padToken"/> when given and known,
    /// else the file's <c>padding</c> section's, else 0; the padding side likewise defaults to the file's.</summary>
    public static HuggingFaceTokenizer FromFile(string path, string? padToken = null, TokenizerPaddingSide? paddingSide = null) =>
        TokenizerJsonReader.Read(path, padToken, paddingSide);

    /// <summary>The id of <paramref name="token"/> (added tokens first, then the model's vocabulary).</summary>
    public int? TokenToId(string token) =>
        _addedIds.TryGetValue(token, out int id) || _model.TryGetId(token, out id) ? id : null;

    public string? IdToToken(int id) => _addedTokens.TryGetValue(id, out var token) ? token : _model.TokenOf(id);

    /// <summary>See <see cref="AddedVocabulary.MayMatch"/>.</summary>
    internal bool MayMatchAddedTokens(string text) => _added.MayMatch(text);

    /// <summary>Tokens the post-processor adds to one text or a pair.</summary>
    public int SpecialTokenCount(bool pair) => _postProcessor?.AddedTokens(pair) ?? 0;

    /// <summary>Encodes a text or a pair as the library's <c>encode(text, pair, add_special_tokens)</c> with the given
    /// truncation (none when null). Throws <see cref="ArgumentException"/> where the library reports a truncation
    /// error, and when <paramref name="truncation"/> leaves no room for the special tokens.</summary>
    public TokenizerEncoding Encode(string text, string? pair = null, bool addSpecialTokens = true, TruncationOptions? truncation = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = EncodeSequence(text, 0);
        var second = pair is null ? null : EncodeSequence(pair, 1);
        if (truncation is not null)
        {
            int max = truncation.MaxLength;
            int added = addSpecialTokens ? SpecialTokenCount(pair is not null) : 0;
            if (max < added)
                throw new ArgumentOutOfRangeException(nameof(truncation), max, $"max_length must leave room for the {added} special tokens.");
            PairTruncation.Apply(first, second, max - added, max, truncation.Strategy, truncation.Direction);
        }
        List<WorkingEncoding> sequences = second is null ? [first] : [first, second];
        var parts = _postProcessor?.Process(sequences, addSpecialTokens) ?? sequences;
        return WorkingEncoding.Merge(parts).ToResult();
    }

    public EncodedInput Encode(string text, int maxLength) =>
        Encode(text, null, true, new TruncationOptions(maxLength)).ToEncodedInput();

    public EncodedInput EncodePair(string first, string second, int maxLength) =>
        Encode(first, second, true, new TruncationOptions(maxLength)).ToEncodedInput();

    // The library types the second text 1 from the start; post-processors may retype both.
    private WorkingEncoding EncodeSequence(string text, int typeId)
    {
        var pre = _added.ExtractAndNormalize(text);
        _preTokenizer?.PreTokenize(pre);
        var encoding = new WorkingEncoding();
        for (int word = 0; word < pre.Splits.Count; word++)
        {
            var piece = pre.Splits[word];
            var tokens = piece.Tokens ?? _model.Tokenize(piece.Text.Text);
            foreach (var token in tokens)
                encoding.Add(token.Id, typeId, token.Value, piece.Text.ToOriginal(token.Start, token.End), false, word);
        }
        return encoding;
    }

    private bool TypesSecondSequence()
    {
        if (_postProcessor is null)
            return false;
        var a = new WorkingEncoding();
        a.Add(0, 0, "a", (0, 1), false);
        var b = new WorkingEncoding();
        b.Add(0, 0, "b", (0, 1), false);
        try
        {
            return _postProcessor.Process([a, b], true).Any(p => p.TypeIds.Any(t => t != 0));
        }
        catch (KeyNotFoundException e)
        {
            throw new ModelLoadException($"the tokenizer's post_processor names a special token it does not define: {e.Message}", e);
        }
    }
}
