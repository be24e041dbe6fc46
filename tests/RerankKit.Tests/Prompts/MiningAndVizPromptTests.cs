using System.Numerics.Tensors;
using RerankKit.Visualization;
using RerankKit.Training;
using RerankKit.Training.Mining;
using RerankKit.Tests.Visualization;

namespace RerankKit.Tests.Prompts;

public class MiningAndVizPromptTests
{
    [Fact]
    public void TheDenseMiningScorerEmbedsQueriesAndDocumentsWithTheirPrompts()
    {
        using var fixture = new PromptFixture("""{ "prompts": { "query": "query: ", "document": "document: " } }""");
        string[] corpus = ["the cat sat on the mat", "stock markets fell sharply today"];
        var embedder = EngineEmbedder.FromFolder(fixture.Path);
        var scorer = new DenseCorpusScorer(embedder, corpus);
        float[] scores = scorer.ScoreAll("where is the cat");

        float[] query = embedder.Encode(["query: where is the cat"]);
        float[] documents = embedder.Encode(corpus.Select(t => "document: " + t).ToList());
        int d = embedder.Dimension;
        for (int i = 0; i < corpus.Length; i++)
            Assert.Equal(TensorPrimitives.Dot(query, documents.AsSpan(i * d, d)), scores[i], 1e-5f);
    }

    [Fact]
    public void VizEmbeddingsEncodesQueriesAsQueriesAndPositivesAsDocuments()
    {
        var encoder = new HashingBiEncoder("fake", 16);
        var pairs = Enumerable.Range(0, 12).Select(i => new QueryPositivePair($"query {i} words", $"document {i} text")).ToList();
        EmbeddingAnalyzer.Analyze(encoder, pairs, new EmbeddingAnalysisOptions { BatchSize = 64, SkipTsne = true, SkipUmap = true });
        Assert.Equal(["query", "document"], encoder.Roles);
    }
}
