using RerankKit.Evaluation;
using RerankKit.Tests.Retrieval;

namespace RerankKit.Tests.Evaluation;

/// <summary>A hand-worked benchmark: the first stage always ranks d0..d4 in order; the reranker reverses the
/// relevant part for query "flip" and keeps the order for "keep".</summary>
public sealed class RerankingBenchmarkTests
{
    private static BeirDataset Dataset()
    {
        // Text = "<flip logit> <index>".
        var corpus = SampleDocs.Make("-2 0", "3 1", "0.5 2", "1 3", "-1 4");
        var qrels = new Qrels();
        qrels.Add("q1", "d3", 1);
        qrels.Add("q2", "d0", 1);
        return new BeirDataset("hand", corpus, [("q1", "flip"), ("q2", "keep")], qrels, "test");
    }

    private static float Logit(string query, string doc)
    {
        string[] parts = doc.Split(' ');
        return query == "flip" ? float.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) : -int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Metrics_impact_and_sweep_match_the_hand_computation()
    {
        var report = RerankingBenchmark.Run(Dataset(), new FixedRetriever(0, 1, 2, 3, 4), new ScriptedCrossEncoder(Logit), firstStageK: 5, k: 2, sweep: [5, 2]);

        // q1: first stage puts d3 at rank 4 (outside @2); reranked order d1, d3, d2, d4, d0 puts it at rank 2. q2: d0 first both times.
        Assert.Equal(0.5, report.Metrics["first_stage"]["mrr@2"], 12);
        Assert.Equal(0.75, report.Metrics["reranked"]["mrr@2"], 12);
        Assert.Equal((1 / Math.Log2(3) + 1) / 2, report.Metrics["reranked"]["ndcg@2"], 12);
        Assert.Equal(1.0, report.Metrics["reranked"]["recall@5"], 12);
        Assert.Equal(0.5, report.RelativeImprovement("mrr@2")!.Value, 12);

        // Top 2 after reranking: q1 d1 (2 -> 1, +1), d3 (4 -> 2, +2); q2 unchanged (0, 0).
        var impact = report.Impact!;
        Assert.Equal(0.75, impact.MeanAbsoluteRankChange, 12);
        Assert.Equal(2, impact.MaxAbsoluteRankChange);
        Assert.Equal((50.0, 0.0, 50.0), (impact.PercentMovedUp, impact.PercentMovedDown, impact.PercentUnchanged));
        Assert.Equal(0.5, impact.Top1ChangeRate, 12);

        // K = 2 reranks only d0, d1 for q1, so d3 never reaches the top 2.
        Assert.Equal([2, 5], report.Sweep.Select(r => r.FirstStageK));
        Assert.Equal(0.5, report.Sweep[0].Metrics["mrr@2"], 12);
        Assert.Equal(0.75, report.Sweep[1].Metrics["mrr@2"], 12);
        Assert.True(report.Sweep[1].IsBestQuality && !report.Sweep[0].IsBestQuality);
        Assert.Single(report.Sweep, r => r.IsFastest);
        Assert.StartsWith("Use first-k 5", report.Recommendation);

        Assert.Contains("| mrr@2 | 0.5000 | 0.7500 | +50.0% |", RerankingReportFormat.ToMarkdown(report));
        Assert.Equal(0.75, RerankingReportFormat.ToJson(report)["metrics"]!["reranked"]!["mrr@2"]!.GetValue<double>(), 12);
    }

    [Fact]
    public void Without_a_reranker_only_the_first_stage_is_reported()
    {
        var report = RerankingBenchmark.Run(Dataset(), new FixedRetriever(0, 1, 2, 3, 4), null, firstStageK: 5, k: 2);
        Assert.Equal(["first_stage"], report.Metrics.Keys);
        Assert.Null(report.Impact);
        Assert.Null(report.RelativeImprovement("mrr@2"));
        Assert.Throws<ArgumentException>(() => RerankingBenchmark.Run(Dataset(), new FixedRetriever(0, 1), null, 5, 2, sweep: [5]));
    }
}
