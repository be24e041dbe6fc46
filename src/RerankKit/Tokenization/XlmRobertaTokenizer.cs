using RerankKit.Models;

namespace RerankKit.Tokenization;

/// <summary>XLM-RoBERTa's tokenizer: SentencePiece unigram from <c>sentencepiece.bpe.model</c> with fairseq ids
/// (<c>&lt;s&gt;</c>=0, <c>&lt;pad&gt;</c>=1, <c>&lt;/s&gt;</c>=2, <c>&lt;unk&gt;</c>=3, every other piece its
/// SentencePiece id + 1, <c>&lt;mask&gt;</c> last). Pair format <c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c>,
/// no token types. Thread-safe.</summary>
public sealed class XlmRobertaTokenizer : ITextTokenizer
{
    public const string ModelFileName = "sentencepiece.bpe.model";

    private const int BosId = 0, PadId = 1, EosId = 2, UnkFairseqId = 3, FairseqOffset = 1;

    [ThreadStatic] private static List<int>? t_first;
    [ThreadStatic] private static List<int>? t_second;

    private readonly SentencePieceNormalizer _normalizer;
    private readonly UnigramModel _unigram;
    private readonly string[] _tokens;
    private readonly SequenceTemplate _template;

    internal XlmRobertaTokenizer(SentencePieceModel model)
    {
        if (model.Type != SentencePieceModel.ModelType.Unigram)
            throw new ModelLoadException($"the SentencePiece model is of type {model.Type}; XLM-RoBERTa needs a unigram model");
        _normalizer = new SentencePieceNormalizer(model);
        _unigram = new UnigramModel(model);
        _tokens = new string[model.Pieces.Count + FairseqOffset + 1];
        for (int i = 0; i < model.Pieces.Count; i++)
            _tokens[i + FairseqOffset] = model.Pieces[i].Text;
        _tokens[BosId] = "<s>";
        _tokens[PadId] = "<pad>";
        _tokens[EosId] = "</s>";
        _tokens[UnkFairseqId] = "<unk>";
        _tokens[^1] = "<mask>";
        _template = new SequenceTemplate(BosId, EosId, doubleSeparatorInPair: true, secondSegmentTyped: false, id => _tokens[id]);
    }

    public int PadTokenId => PadId;
    public bool UsesTokenTypeIds => false;

    public static XlmRobertaTokenizer FromFile(string modelPath)
    {
        if (!File.Exists(modelPath))
            throw new ModelLoadException($"SentencePiece model not found: {modelPath}");
        return new XlmRobertaTokenizer(SentencePieceModel.Load(modelPath));
    }

    public static XlmRobertaTokenizer FromFolder(string folder) => FromFile(Path.Combine(folder, ModelFileName));

    public EncodedInput Encode(string text, int maxLength) => _template.Single(Tokenize(text, t_first ??= []), maxLength);

    public EncodedInput EncodePair(string first, string second, int maxLength) =>
        _template.Pair(Tokenize(first, t_first ??= []), Tokenize(second, t_second ??= []), maxLength);

    /// <summary>The pieces of <paramref name="text"/> without special tokens ("&lt;unk&gt;" for unknown runs).</summary>
    public IReadOnlyList<string> Pieces(string text) => Tokenize(text, []).Select(id => _tokens[id]).ToArray();

    private List<int> Tokenize(string text, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(text);
        ids.Clear();
        _unigram.Encode(_normalizer.Normalize(text), ids);
        for (int i = 0; i < ids.Count; i++)
            ids[i] = ids[i] == _unigram.UnkId ? UnkFairseqId : ids[i] + FairseqOffset;
        return ids;
    }
}
