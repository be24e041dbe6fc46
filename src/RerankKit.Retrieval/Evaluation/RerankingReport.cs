namespace RerankKit.Evaluation;

/// <summary>What <see cref="RerankingBenchmark"/> measured. <see cref="Metrics"/> maps "first_stage" and, with a
/// reranker, "reranked" to metric means keyed like "ndcg@10".</summary>
public sealed record RerankingReport
{
    public const string FirstStageSystem = "first_stage";
    public const string RerankedSystem = "reranked";

    public required string Dataset { get; init; }
    public required string Split { get; init; }
    public required string FirstStage { get; init; }
    public string? Reranker { get; init; }
    public required int QueryCount { get; init; }
    public required int FirstStageK { get; init; }
    public required int K { get; init; }
    public required IReadOnlyList<string> MetricNames { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Metrics { get; init; }
    public required IReadOnlyDictionary<string, EvaluationResult> Results { get; init; }
    public required TrecRun FirstStageRun { get; init; }
    public TrecRun? RerankedRun { get; init; }
    public RerankingImpact? Impact { get; init; }
    public IReadOnlyList<SweepRow> Sweep { get; init; } = [];
    public string? Recommendation { get; init; }

    /// <summary>Mean first-stage latency and its throughput over all queries.</summary>
    public required double MeanStage1Milliseconds { get; init; }
    public required double FirstStageQueriesPerSecond { get; init; }

    /// <summary>(reranked - first stage) / first stage for a metric; null without a reranker or for a zero baseline.</summary>
    public double? RelativeImprovement(string metric)
    {
        if (!Metrics.TryGetValue(RerankedSystem, out var reranked))
            return null;
        double baseline = Metrics[FirstStageSystem][metric];
        return baseline == 0 ? null : (reranked[metric] - baseline) / baseline;
    }
}
