using RerankKit.Seq2Seq;

namespace RerankKit;

/// <summary>How <see cref="Rerankers.LoadAsync"/> loads whatever kind a folder holds: the shared settings, plus those
/// of one kind that the others ignore.</summary>
public sealed record RerankerOptions : EncoderOptions
{
    /// <summary>Pairs, inputs or texts per batch.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>T5 only: monoT5 (the default), RankT5 or duoT5.</summary>
    public T5Scoring Scoring { get; set; } = T5Scoring.MonoT5;

    /// <summary>duoT5 only: <see cref="Seq2SeqRerankerOptions.DuoTopK"/>.</summary>
    public int? DuoTopK { get; set; }

    /// <summary>Cross-encoders only: <see cref="CrossEncoderOptions.ActivationFn"/>.</summary>
    public ScoreActivation? ActivationFn { get; set; }

    /// <summary>Cross-encoders only: <see cref="CrossEncoderOptions.LongDocuments"/>.</summary>
    public LongDocumentOptions? LongDocuments { get; set; }
}
