namespace RerankKit;

/// <summary>How a <see cref="BiEncoder"/> loads and runs, named as in sentence-transformers where it has a name.
/// <see cref="EncoderOptions.MaxLength"/> null uses sentence_bert_config.json's <c>max_seq_length</c>.</summary>
public sealed record BiEncoderOptions : EncoderOptions
{
    /// <summary>Null follows the model (a Normalize module normalizes); <see cref="EncodeOptions.NormalizeEmbeddings"/>
    /// overrides it again per call.</summary>
    public bool? Normalize { get; set; }
}
