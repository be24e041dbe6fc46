namespace RerankKit;

/// <summary>How a <see cref="CrossEncoder"/> loads and runs, named as in sentence-transformers where it has a name.
/// <see cref="EncoderOptions.MaxLength"/> is the longest pair; null uses the tokenizer's <c>model_max_length</c>.</summary>
public sealed record CrossEncoderOptions : EncoderOptions
{
    /// <summary>Replaces the config's activation (<c>activation_fn</c>); <see cref="PredictOptions.ActivationFn"/>
    /// overrides it again per call.</summary>
    public ScoreActivation? ActivationFn { get; set; }

    /// <summary>An LLM reranker's task instruction (the Qwen3-Reranker prompt's <c>&lt;Instruct&gt;</c>); null is the
    /// model card's default. Other cross-encoders take none.</summary>
    public string? Instruction { get; set; }

    /// <summary>Null (the default) truncates long pairs as sentence-transformers does.</summary>
    public LongDocumentOptions? LongDocuments { get; set; }
}
