using RerankKit.Retrieval;

namespace RerankKit.Tests.Retrieval;

public sealed class TwoStageRetrieverTests
{
    // Logit = the number at the start of the document, so the reranker's order is known in advance.
    private static float Leading(string _, string doc) => float.Parse(doc.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    private static readonly IReadOnlyList<RerankKit.Documents.Document> Docs = SampleDocs.Make(
        "-2 gpu memory", "3 lora adapters", "0.5 attention heads", "1 vector databases", "-1 quantization int8");

    [Fact]
    public void Search_reranks_candidates_and_reports_ranks_changes_and_timings()
    {
        var reranker = new ScriptedCrossEncoder(Leading);
        var retriever = new TwoStageRetriever(new FixedRetriever(0, 1, 2, 3, 4), Docs, reranker);
        var result = retriever.Search("anything", k: 3, firstStageK: 5);

        Assert.Equal(["d1", "d3", "d2"], result.Select(h => h.Document.Id));
        Assert.Equal([1, 2, 3], result.Select(h => h.Rank));
        Assert.Equal([2, 4, 3], result.Select(h => h.FirstStageRank));
        Assert.Equal([1, 2, 0], result.Select(h => h.RankChange));
        Assert.Equal([99f, 97f, 98f], result.Select(h => h.FirstStageScore));
        Assert.Equal([3f, 1f, 0.5f], result.Select(h => h.RerankScore!.Value));
        Assert.Equal(1 / (1 + MathF.Exp(-3)), result[0].CalibratedScore!.Value, 6);
        Assert.Equal([ConfidenceBand.High, ConfidenceBand.Medium, ConfidenceBand.Medium], result.Select(h => h.Confidence!.Value));
        Assert.Equal(5, result.CandidatesReranked);
        Assert.Equal(5, reranker.PairsScored);
        Assert.Equal(ScoreActivation.Identity, reranker.LastOptions!.ActivationFn);
        Assert.True(result.Stage1Milliseconds >= 0 && result.Stage2Milliseconds >= 0);
    }

    [Fact]
    public void Without_reranking_the_first_stage_order_is_kept()
    {
        var retriever = new TwoStageRetriever(new FixedRetriever(4, 2, 0), Docs, new ScriptedCrossEncoder(Leading));
        var result = retriever.SearchWithoutReranking("q", 2);
        Assert.Equal(["d4", "d2"], result.Select(h => h.Document.Id));
        Assert.All(result, h => Assert.Equal(0, h.RankChange));
        Assert.All(result, h => Assert.Null(h.RerankScore));
        Assert.Equal(0, result.Stage2Milliseconds);
    }

    [Fact]
    public void Threshold_keeps_only_calibrated_scores_above_it()
    {
        var retriever = new TwoStageRetriever(new FixedRetriever(0, 1, 2, 3, 4), Docs, new ScriptedCrossEncoder(Leading),
            new TwoStageOptions { ScoreThreshold = 0.8f });
        // sigmoid(3) = 0.95 and sigmoid(1) = 0.73: only d1 clears 0.8.
        Assert.Equal(["d1"], retriever.Search("q", 5, 5).Select(h => h.Document.Id));
    }

    [Fact]
    public void Domain_boost_adds_its_weight_per_matched_keyword()
    {
        var retriever = new TwoStageRetriever(new FixedRetriever(0, 1, 2, 3, 4), Docs, new ScriptedCrossEncoder(Leading),
            new TwoStageOptions { DomainBoost = new DomainBoost(["GPU", "memory"], 3f) });
        var result = retriever.Search("q", 2, 5);
        Assert.Equal(["d0", "d1"], result.Select(h => h.Document.Id));
        Assert.Equal(6f, result[0].Boost);
        Assert.Equal(-2f + 6f, result[0].RerankScore!.Value);
    }

    [Fact]
    public void Jaccard_prefilter_scores_fewer_pairs()
    {
        var reranker = new ScriptedCrossEncoder(Leading);
        var retriever = new TwoStageRetriever(new FixedRetriever(0, 1, 2, 3, 4), Docs, reranker,
            new TwoStageOptions { Prefilter = new JaccardPrefilter(Keep: 2) });
        var result = retriever.Search("attention and vector heads", 2, 5);
        Assert.Equal(2, reranker.PairsScored);
        Assert.Equal(["d3", "d2"], result.Select(h => h.Document.Id));
        Assert.Equal(2.0 / 4, JaccardPrefilter.Similarity("a b c", "b c d"), 12);
    }

    [Fact]
    public async Task Keyword_routes_send_queries_to_other_rerankers_and_async_matches_sync()
    {
        var general = new ScriptedCrossEncoder(Leading, "general");
        var medical = new ScriptedCrossEncoder((_, d) => -Leading(_, d), "medical");
        var compliance = new ScriptedCrossEncoder(Leading, "compliance", ScoreActivation.Sigmoid);
        var retriever = new TwoStageRetriever(new FixedRetriever(0, 1, 2, 3, 4), Docs, general, new TwoStageOptions
        {
            Routes = [new RerankerRoute("medical", ["patient", "diagnosis"], medical), new RerankerRoute("compliance", ["GDPR", "audit"], compliance)],
        });

        var routed = retriever.Search("Patient diagnosis codes", 1, 5);
        Assert.Equal(("medical", "d0"), (routed.Reranker, routed[0].Document.Id));
        var sigmoid = retriever.Search("gdpr audit trail", 1, 5);
        Assert.Equal("compliance", sigmoid.Reranker);
        Assert.Equal(sigmoid[0].CalibratedScore, sigmoid[0].RerankScore);
        Assert.Equal("general", retriever.Search("lora", 1, 5).Reranker);

        var asyncResult = await retriever.SearchAsync("Patient diagnosis codes", 3, 5);
        Assert.Equal(retriever.Search("Patient diagnosis codes", 3, 5).Select(h => h.Document.Id), asyncResult.Select(h => h.Document.Id));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => retriever.SearchAsync("lora", 1, 5, cts.Token));
        Assert.Throws<ArgumentOutOfRangeException>(() => retriever.Search("q", 5, 2));
    }
}
