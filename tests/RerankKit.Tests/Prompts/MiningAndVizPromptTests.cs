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
    public void TheEngineEmbedderLeavesThePromptOutOfMeanPoolingAsTheOnnxPathDoes()
    {
        using var fixture = new PromptFixture("""{ "prompts": { "query": "query: " } }""", """
            { "word_embedding_dimension": 32, "pooling_mode_mean_tokens": true, "include_prompt": false }
            """);
        string[] texts = ["where is the cat", "a much longer question about the stock markets falling sharply today"];
        var embedder = EngineEmbedder.FromFolder(fixture.Path);
        using var onnx = fixture.Load();
        float[] native = embedder.Encode(texts, "query: ");
        float[][] reference = onnx.EncodeQuery(texts);
        float[] withPrompt = embedder.Encode(texts.Select(t => "query: " + t).ToList());
        int d = embedder.Dimension;
        for (int i = 0; i < texts.Length; i++)
        {
            for (int k = 0; k < d; k++)
                Assert.Equal(reference[i][k], native[i * d + k], 1e-5f);
            Assert.True(TensorPrimitives.CosineSimilarity(native.AsSpan(i * d, d), withPrompt.AsSpan(i * d, d)) < 0.9999f);
        }
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
