namespace RerankKit.Evaluation;

/// <summary>Quality and latency of reranking the first <see cref="FirstStageK"/> candidates.</summary>
public sealed record SweepRow(int FirstStageK, IReadOnlyDictionary<string, double> Metrics, double MeanLatencyMilliseconds)
{
    public bool IsBestQuality { get; init; }
    public bool IsFastest { get; init; }
}
