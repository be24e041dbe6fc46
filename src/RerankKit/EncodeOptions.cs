namespace RerankKit;

/// <summary>Options of <see cref="IBiEncoder.Encode"/>, named as in sentence-transformers.</summary>
public sealed record EncodeOptions
{
    public int BatchSize { get; init; } = 32;

    /// <summary>Null follows the model (a Normalize module normalizes); true or false forces it.</summary>
    public bool? NormalizeEmbeddings { get; init; }

    /// <summary>The name of one of the model's prompts (config_sentence_transformers.json) to put before each text.
    /// Null uses the model's <c>default_prompt_name</c>, if any; <see cref="IBiEncoder.EncodeQuery"/> and
    /// <see cref="IBiEncoder.EncodeDocument"/> choose the query and document prompts.</summary>
    public string? PromptName { get; init; }

    /// <summary>A prompt text to put before each text; wins over <see cref="PromptName"/>. "" means no prompt.</summary>
    public string? Prompt { get; init; }

    /// <summary>Told how many texts are embedded after each batch. One call over a whole corpus sorts all of it by
    /// token length before batching, so a caller wanting progress passes this rather than slicing the corpus.</summary>
    public IProgress<int>? Progress { get; init; }

    /// <summary>Matryoshka truncation: keep the first N dimensions, then normalize if normalizing. Null keeps all.</summary>
    public int? TruncateDim { get; init; }
}
