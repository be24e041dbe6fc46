using System.Globalization;

namespace RerankKit.Evaluation;

/// <summary>A measure at a cutoff, written as in BEIR and the JSON reports: <c>ndcg@10</c>, <c>mrr@10</c>,
/// <c>recall@100</c>, <c>map@10</c>, <c>p@10</c>.</summary>
public readonly record struct MetricName(MetricKind Kind, int Cutoff)
{
    public override string ToString() => $"{Kind switch
    {
        MetricKind.Ndcg => "ndcg",
        MetricKind.Mrr => "mrr",
        MetricKind.Recall => "recall",
        MetricKind.Map => "map",
        _ => "p",
    }}@{Cutoff}";

    public static MetricName Parse(string text)
    {
        int at = text.IndexOf('@');
        if (at > 0 && int.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k > 0)
        {
            MetricKind? kind = text[..at].ToLowerInvariant() switch
            {
                "ndcg" => MetricKind.Ndcg,
                "mrr" => MetricKind.Mrr,
                "recall" => MetricKind.Recall,
                "map" => MetricKind.Map,
                "p" or "precision" => MetricKind.Precision,
                _ => null,
            };
            if (kind is not null)
                return new MetricName(kind.Value, k);
        }
        throw new ArgumentException($"Unknown metric \"{text}\"; use ndcg@k, mrr@k, recall@k, map@k or p@k.");
    }
}

public enum MetricKind
{
    Ndcg,
    Mrr,
    Recall,
    Map,
    Precision,
}
