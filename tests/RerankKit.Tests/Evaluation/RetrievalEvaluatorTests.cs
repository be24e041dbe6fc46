using RerankKit.Evaluation;

namespace RerankKit.Tests.Evaluation;

/// <summary>Hand-computed cases of trec_eval's measures.</summary>
public sealed class RetrievalEvaluatorTests
{
    private static Qrels Judgments(params (string Q, string D, int Rel)[] rows)
    {
        var qrels = new Qrels();
        foreach (var (q, d, r) in rows)
            qrels.Add(q, d, r);
        return qrels;
    }

    private static TrecRun Run(params (string Q, string D, double Score)[] rows)
    {
        var run = new TrecRun();
        foreach (var (q, d, s) in rows)
            run.Add(q, d, s);
        return run;
    }

    [Fact]
    public void Graded_relevance_uses_the_grade_as_gain()
    {
        // Ranking: d1 (grade 1), d2 (non-relevant), d3 (grade 2). Ideal: d3 (2), d1 (1).
        var qrels = Judgments(("q", "d1", 1), ("q", "d3", 2), ("q", "d9", 0));
        var run = Run(("q", "d1", 3), ("q", "d2", 2), ("q", "d3", 1));
        var r = RetrievalEvaluator.Evaluate(qrels, run, ["ndcg@3", "ndcg@1", "mrr@3", "recall@2", "map@3", "p@2"]);

        double dcg = 1 / Math.Log2(2) + 2 / Math.Log2(4);
        double idcg = 2 / Math.Log2(2) + 1 / Math.Log2(3);
        Assert.Equal(dcg / idcg, r["ndcg@3"], 12);
        Assert.Equal(1.0 / 2.0, r["ndcg@1"], 12);
        Assert.Equal(1.0, r["mrr@3"], 12);
        Assert.Equal(0.5, r["recall@2"], 12);
        Assert.Equal((1.0 / 1 + 2.0 / 3) / 2, r["map@3"], 12);
        Assert.Equal(0.5, r["p@2"], 12);
    }

    [Fact]
    public void Ties_are_broken_by_document_id_descending_as_trec_eval_does()
    {
        // Equal scores: trec_eval ranks "b" before "a", so only a relevant "b" is at rank 1.
        var run = Run(("q", "a", 1.0), ("q", "b", 1.0));
        var relevantB = RetrievalEvaluator.Evaluate(Judgments(("q", "b", 1)), run, ["mrr@10", "ndcg@1"]);
        var relevantA = RetrievalEvaluator.Evaluate(Judgments(("q", "a", 1)), run, ["mrr@10", "ndcg@1"]);

        Assert.Equal(1.0, relevantB["mrr@10"], 12);
        Assert.Equal(1.0, relevantB["ndcg@1"], 12);
        Assert.Equal(0.5, relevantA["mrr@10"], 12);
        Assert.Equal(0.0, relevantA["ndcg@1"], 12);
    }

    [Fact]
    public void Rank_order_in_the_run_is_ignored_in_favour_of_scores()
    {
        var run = Run(("q", "low", 0.1), ("q", "high", 0.9));
        var r = RetrievalEvaluator.Evaluate(Judgments(("q", "high", 1)), run, ["mrr@1"]);
        Assert.Equal(1.0, r["mrr@1"], 12);
    }

    [Fact]
    public void A_query_with_no_results_scores_zero_and_counts_in_the_mean()
    {
        var qrels = Judgments(("q1", "d1", 1), ("q2", "d2", 1));
        var run = Run(("q1", "d1", 1.0));
        run.AddQuery("q2");
        var r = RetrievalEvaluator.Evaluate(qrels, run, ["ndcg@10", "recall@10", "p@10"]);

        Assert.Equal(2, r.QueryCount);
        Assert.Equal(0.0, r.PerQuery["q2"]["ndcg@10"]);
        Assert.Equal(0.5, r["ndcg@10"], 12);
        Assert.Equal(0.5, r["recall@10"], 12);
        Assert.Equal(0.05, r["p@10"], 12);
    }

    [Fact]
    public void Queries_without_relevant_judgments_or_without_qrels_are_skipped()
    {
        var qrels = Judgments(("q1", "d1", 1), ("q2", "d2", 0));
        var run = Run(("q1", "x", 2.0), ("q1", "d1", 1.0), ("q2", "d2", 1.0), ("q3", "d3", 1.0));
        var r = RetrievalEvaluator.Evaluate(qrels, run, ["mrr@10"]);

        Assert.Equal(["q1"], r.PerQuery.Keys);
        Assert.Equal(0.5, r["mrr@10"], 12);
    }

    [Fact]
    public void Empty_qrels_give_zero_means_over_zero_queries()
    {
        var r = RetrievalEvaluator.Evaluate(new Qrels(), Run(("q", "d", 1.0)), ["ndcg@10"]);
        Assert.Equal(0, r.QueryCount);
        Assert.Equal(0.0, r["ndcg@10"]);
    }

    [Fact]
    public void Cutoffs_beyond_the_results_and_duplicates_follow_trec_eval()
    {
        var qrels = Judgments(("q", "d1", 1), ("q", "d2", 1), ("q", "d3", 1));
        var r = RetrievalEvaluator.Evaluate(qrels, Run(("q", "d2", 1.0)), ["map@100", "p@5", "recall@100"]);
        Assert.Equal(1.0 / 3, r["map@100"], 12);
        Assert.Equal(0.2, r["p@5"], 12);
        Assert.Equal(1.0 / 3, r["recall@100"], 12);

        Assert.Throws<InvalidDataException>(() => RetrievalEvaluator.Evaluate(qrels, Run(("q", "d1", 1.0), ("q", "d1", 0.5)), ["p@5"]));
        Assert.Throws<ArgumentException>(() => MetricName.Parse("ndcg"));
    }
}
