namespace RerankKit.LateInteraction;

/// <summary>How a <see cref="ColBert"/> loads and encodes. Query and document lengths come from the model's
/// <c>config_sentence_transformers.json</c>; <see cref="EncoderOptions.MaxLength"/> and <see cref="EncoderOptions.Engine"/>
/// do not apply (the BERT part runs on ONNX Runtime).</summary>
public sealed record ColBertOptions : EncoderOptions
{
    public int BatchSize { get; set; } = 32;
}
