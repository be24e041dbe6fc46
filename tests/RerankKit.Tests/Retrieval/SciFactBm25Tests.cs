using Xunit.Abstractions;
using RerankKit.Evaluation;
using RerankKit.Retrieval;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Retrieval;

/// <summary>Published figures: BEIR's Elasticsearch BM25 reaches nDCG@10 0.665 on SciFact test; Anserini's flat
/// Lucene index (title + text, k1 0.9, b 0.4) reaches 0.6789 and Recall@100 0.9253 (shared/datasets/PUBLISHED.md).</summary>
public sealed class SciFactBm25Tests(ITestOutputHelper output)
{
    [Fact]
    public void Bm25_on_SciFact_test_matches_published_BEIR_and_Anserini_figures()
    {
        var dataset = BeirDataset.Load(SharedData.Dataset("scifact"), "test");
        Assert.Equal(300, dataset.Queries.Count);
        var index = Bm25Index.Build(dataset.Corpus.Select(d => d.FullText).ToList());
        using var retriever = new Bm25Retriever(index);

        var run = new TrecRun();
        foreach (var (queryId, text) in dataset.Queries)
        {
            run.AddQuery(queryId);
            foreach (var hit in retriever.Search(text, 100))
                run.Add(queryId, dataset.Corpus[hit.Index].Id, hit.Score);
        }
        var result = RetrievalEvaluator.Evaluate(dataset.Qrels, run, ["ndcg@10", "recall@100"]);

        output.WriteLine($"SciFact test BM25: nDCG@10 {result["ndcg@10"]:F4}, Recall@100 {result["recall@100"]:F4}");
        Assert.Equal(300, result.QueryCount);
        Assert.True(result["ndcg@10"] >= 0.665, $"nDCG@10 {result["ndcg@10"]:F4} is below BEIR's 0.665");
        Assert.InRange(result["ndcg@10"], 0.679 - 0.01, 0.679 + 0.01);
        Assert.InRange(result["recall@100"], 0.925 - 0.01, 0.925 + 0.01);
    }
}
