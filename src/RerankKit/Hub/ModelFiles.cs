namespace RerankKit.Hub;

/// <summary>The files a model needs from the hub: the config and weights it cannot run without, and the tokenizer
/// and sentence-transformers files it uses when present.</summary>
public sealed record ModelFiles(IReadOnlyList<string> Required, IReadOnlyList<string> Optional)
{
    /// <summary>Files of which the model needs one, the first the repository has: the weights of an engine that
    /// reads several formats. Empty when any of <see cref="Required"/> suffices.</summary>
    public IReadOnlyList<string> OneOf { get; init; } = [];

    private static readonly string[] TokenizerAndModules =
    [
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "sentencepiece.bpe.model",
        "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json",
    ];

    /// <summary>config.json, <paramref name="weights"/> and the usual tokenizer and module files; Pooling and other
    /// module configs are added from modules.json as it arrives.</summary>
    public static ModelFiles For(string weights) => new(["config.json", weights], TokenizerAndModules);

    /// <summary>config.json, the first of <paramref name="weights"/> the repository has, and the optional files.</summary>
    public static ModelFiles For(IReadOnlyList<string> weights) =>
        weights.Count == 1 ? For(weights[0]) : new(["config.json"], TokenizerAndModules) { OneOf = weights };

    /// <summary>What tokenizing alone needs: the config and the tokenizer files, no weights.</summary>
    public static ModelFiles ForTokenizer() => new(["config.json"], TokenizerAndModules);
}
