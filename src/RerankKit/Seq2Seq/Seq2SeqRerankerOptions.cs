namespace RerankKit.Seq2Seq;

/// <summary>How a <see cref="Seq2SeqReranker"/> loads and scores. <see cref="EncoderOptions.MaxLength"/> is the
/// longest input in tokens, <c>&lt;/s&gt;</c> included (null: 512, as pygaggle and rerankers use);
/// <see cref="EncoderOptions.OnnxFile"/> and <see cref="EncoderOptions.Engine"/> do not apply (the optimum
/// encoder and decoder files run on ONNX Runtime).</summary>
public sealed record Seq2SeqRerankerOptions : EncoderOptions
{
    public T5Scoring Scoring { get; set; } = T5Scoring.MonoT5;

    /// <summary>duoT5 only: how many of the documents, in the order given (a first stage's or a mono reranker's),
    /// are compared pairwise, bounding the k·(k−1) pairs; the rest follow unscored in their order. Null compares
    /// all. pygaggle reranks mono's top 50 with duo.</summary>
    public int? DuoTopK { get; set; }

    public int BatchSize { get; set; } = 32;
}
