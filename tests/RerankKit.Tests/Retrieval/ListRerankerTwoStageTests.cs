using RerankKit.Evaluation;
using RerankKit.Retrieval;

namespace RerankKit.Tests.Retrieval;

/// <summary><see cref="TwoStageRetriever"/> and <see cref="RerankingBenchmark"/> over an <see cref="IReranker"/> that
/// is not a cross-encoder (as an LLM listwise reranker is): the reranker's order, its own score, no calibration.</summary>
public sealed class ListRerankerTwoStageTests
{
    /// <summary>Orders by the number a document starts with (as the cross-encoder fakes score), giving reciprocal
    /// ranks as scores the way <see cref="RerankKit.Listwise.LlmReranker"/> does; records what it was given.</summary>
    private sealed class LeadingNumberRanker(Func<string, string, float> key) : IReranker
    {
        public List<IReadOnlyList<string>> Calls { get; } = [];

        public string ModelName => "list-ranker";

        public string ScoreKind => "test-listwise";

        public Task<IReadOnlyList<RankedDocument>> RankAsync(string query, IReadOnlyList<string> documents, int? topK = null, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Calls.Add(documents);
            IReadOnlyList<RankedDocument> ranked = Enumerable.Range(0, documents.Count)
                .OrderByDescending(i => key(query, documents[i]))
                .Select((i, position) => new RankedDocument(i, 1f / (position + 1), documents[i]))
                .Take(topK ?? int.MaxValue)
                .ToList();
            return Task.FromResult(ranked);
        }

        public void Dispose() { }
    }

    private static float Leading(string _, string doc) => float.Parse(doc.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    private static readonly IReadOnlyList<RerankKit.Documents.Document> Docs = SampleDocs.Make(
        "-2 gpu memory", "3 lora adapters", "0.5 attention heads", "1 vector databases", "-1 quantization int8");

    [Fact]
    public async Task HitsFollowTheRerankersOrderWithItsScoreAndNoCalibration()
    {
        var ranker = new LeadingNumberRanker(Leading);
        var retriever = new TwoStageRetriever(new FixedRetriever(0, 1, 2, 3, 4), Docs, ranker);

        var result = retriever.Search("q", k: 3, firstStageK: 5);

        Assert.Equal(["d1", "d3", "d2"], result.Select(h => h.Document.Id));
        Assert.Equal([1f, 0.5f, 1f / 3], result.Select(h => h.RerankScore!.Value));
        Assert.Equal([2, 4, 3], result.Select(h => h.FirstStageRank));
        Assert.All(result, h => Assert.Null(h.Logit));
        Assert.All(result, h => Assert.Null(h.CalibratedScore));
        Assert.All(result, h => Assert.Null(h.Confidence));
        Assert.Equal(("list-ranker", 5), (result.Reranker, result.CandidatesReranked));
        // The whole candidate list goes to the reranker at once, in first-stage order.
        Assert.Equal([Docs.Select(d => d.FullText).ToArray()], ranker.Calls.Select(c => c.ToArray()));
        Assert.Equal(result.Select(h => h.Document.Id), (await retriever.SearchAsync("q", 3, 5)).Select(h => h.Document.Id));
    }

    [Fact]
    public void ABoostIsAddedToTheRerankersScoreAndThePrefilterShortensItsList()
    {
        var ranker = new LeadingNumberRanker(Leading);
        var boosted = new TwoStageRetriever(new FixedRetriever(0, 1, 2, 3, 4), Docs, ranker,
            new TwoStageOptions { DomainBoost = new DomainBoost(["GPU"], 2f) });
        var top = boosted.Search("q", 1, 5)[0];
        // d0 is last in the ranker's order (score 1/5) but its boost of 2 lifts it above d1's 1.
        Assert.Equal(("d0", 0.2f + 2f, 2f), (top.Document.Id, top.RerankScore!.Value, top.Boost));

        var prefiltered = new TwoStageRetriever(new FixedRetriever(0, 1, 2, 3, 4), Docs, ranker,
            new TwoStageOptions { Prefilter = new JaccardPrefilter(Keep: 2) });
        Assert.Equal(["d3", "d2"], prefiltered.Search("attention and vector heads", 2, 5).Select(h => h.Document.Id));
        Assert.Equal(2, ranker.Calls[^1].Count);
    }

    [Fact]
    public void AThresholdOrRoutesNeedCalibratedCrossEncoderScoresAndAreRefused()
    {
        var ranker = new LeadingNumberRanker(Leading);
        var threshold = Assert.Throws<ArgumentException>(() => new TwoStageRetriever(new FixedRetriever(0), Docs, ranker, new TwoStageOptions { ScoreThreshold = 0.5f }));
        Assert.Contains("test-listwise", threshold.Message);
        Assert.Throws<ArgumentException>(() => new TwoStageRetriever(new FixedRetriever(0), Docs, ranker,
            new TwoStageOptions { Routes = [new RerankerRoute("r", ["x"], new ScriptedCrossEncoder(Leading))] }));
    }

    [Fact]
    public void ACrossEncoderRerankerTakesTheCrossEncoderPath()
    {
        var encoder = new ScriptedCrossEncoder(Leading);
        var result = new TwoStageRetriever(new FixedRetriever(0, 1, 2, 3, 4), Docs, new CrossEncoderReranker(encoder)).Search("q", 3, 5);
        Assert.Equal([3f, 1f, 0.5f], result.Select(h => h.RerankScore!.Value));
        Assert.NotNull(result[0].CalibratedScore);
        Assert.Equal(5, encoder.PairsScored);
    }

    [Fact]
    public void TheBenchmarkOverAListRerankerWithTheCrossEncodersOrderGivesTheSameMetrics()
    {
        // RerankingBenchmarkTests' hand-worked case, with its logit as the list ranker's ordering key: metrics
        // depend only on the order, so they must equal that test's hand computation.
        static float Key(string query, string doc)
        {
            string[] parts = doc.Split(' ');
            return query == "flip" ? float.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) : -int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        var corpus = SampleDocs.Make("-2 0", "3 1", "0.5 2", "1 3", "-1 4");
        var qrels = new Qrels();
        qrels.Add("q1", "d3", 1);
        qrels.Add("q2", "d0", 1);
        var dataset = new BeirDataset("hand", corpus, [("q1", "flip"), ("q2", "keep")], qrels, "test");

        var report = RerankingBenchmark.Run(dataset, new FixedRetriever(0, 1, 2, 3, 4), new LeadingNumberRanker(Key), firstStageK: 5, k: 2, sweep: [5, 2]);

        Assert.Equal("list-ranker", report.Reranker);
        Assert.Equal(0.5, report.Metrics["first_stage"]["mrr@2"], 12);
        Assert.Equal(0.75, report.Metrics["reranked"]["mrr@2"], 12);
        Assert.Equal((1 / Math.Log2(3) + 1) / 2, report.Metrics["reranked"]["ndcg@2"], 12);
        Assert.Equal(0.75, report.Impact!.MeanAbsoluteRankChange, 12);
        Assert.Equal([0.5, 0.75], report.Sweep.Select(r => r.Metrics["mrr@2"]));
    }
}
