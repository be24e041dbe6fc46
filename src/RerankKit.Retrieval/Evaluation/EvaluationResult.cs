namespace RerankKit.Evaluation;

/// <summary>Metric values per query and their mean over the evaluated queries, keyed by metric name
/// (<c>ndcg@10</c>, ...).</summary>
public sealed record EvaluationResult(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> PerQuery,
    IReadOnlyDictionary<string, double> Mean)
{
    public int QueryCount => PerQuery.Count;

    public double this[string metric] => Mean[metric];
}
