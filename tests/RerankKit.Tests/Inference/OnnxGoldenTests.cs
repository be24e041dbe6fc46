using RerankKit.Inference;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Inference;

/// <summary>Every golden logit and embedding of the four fixtures, fed the golden input ids, one at a time and in
/// batches of mixed lengths.</summary>
public class OnnxGoldenTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Rerankers => new() { "tiny-bert-reranker", "tiny-xlmr-reranker", "minilm-l6-shaped-reranker" };

    [Theory]
    [MemberData(nameof(Rerankers))]
    public void BackendReproducesEveryGoldenLogitOneAtATime(string fixture)
    {
        var folder = ModelFolder.Open(SharedData.Fixture(fixture));
        using var backend = OnnxBackendFactory.Instance.Create(folder, new BackendSettings { Threads = 1 });
        foreach (var c in GoldenFile.Cases(fixture))
        {
            var ids = c.InputIds.Select(i => (long)i).ToArray();
            var types = (c.TokenTypeIds ?? new int[ids.Length]).Select(i => (long)i).ToArray();
            var batch = new TokenBatch(ids, Enumerable.Repeat(1L, ids.Length).ToArray(), types, 1, ids.Length);
            var logits = backend.RunClassifier(batch);
            Assert.Single(logits);
            Assert.True(Math.Abs(logits[0] - c.Logit!.Value) < Tolerance, $"{fixture} '{c.Query}'/'{c.Document}' ({c.MaxLength}): {logits[0]} vs {c.Logit}");
        }
    }

    [Theory]
    [MemberData(nameof(Rerankers))]
    public void CrossEncoderReproducesGoldenLogitsBatchedWithMixedLengthsInInputOrder(string fixture)
    {
        foreach (var group in GoldenFile.Cases(fixture).GroupBy(c => c.MaxLength))
        {
            var cases = group.ToList();
            using var model = GoldenModels.CrossEncoder(fixture, group.Key);
            foreach (int batchSize in new[] { 1, 3, 64 })
            {
                var scores = model.Predict(cases.Select(c => (c.Query!, c.Document!)).ToArray(),
                    new PredictOptions { BatchSize = batchSize, ActivationFn = ScoreActivation.Identity });
                for (int i = 0; i < cases.Count; i++)
                    Assert.True(Math.Abs(scores[i] - cases[i].Logit!.Value) < Tolerance, $"{fixture} batch {batchSize} case {i}: {scores[i]} vs {cases[i].Logit}");
            }
        }
    }

    [Fact]
    public void BatchesReallyMixLengths()
    {
        var lengths = GoldenFile.Cases("tiny-bert-reranker").Where(c => c.MaxLength == 512).Select(c => c.InputIds.Length).Distinct().Count();
        Assert.True(lengths >= 5, "the golden cases should cover several lengths for the padding test to mean anything");
    }

    [Fact]
    public void DefaultActivationOfTheFixturesIsIdentitySoPredictGivesRawLogits()
    {
        var cases = GoldenFile.Cases("tiny-bert-reranker").Where(c => c.MaxLength == 48).ToList();
        using var model = GoldenModels.CrossEncoder("tiny-bert-reranker", 48);
        Assert.Equal(ScoreActivation.Identity, model.DefaultActivation);
        var scores = model.Predict(cases.Select(c => (c.Query!, c.Document!)).ToArray());
        Assert.Equal(cases.Select(c => c.Logit!.Value), scores.Select(s => (double)s), new ToleranceComparer(Tolerance));
        var sigmoid = model.Predict(cases.Select(c => (c.Query!, c.Document!)).ToArray(), new PredictOptions { ActivationFn = ScoreActivation.Sigmoid });
        Assert.Equal(cases.Select(c => 1 / (1 + Math.Exp(-c.Logit!.Value))), sigmoid.Select(s => (double)s), new ToleranceComparer(Tolerance));
    }

    [Fact]
    public void RankReturnsBestFirstWithIndexAndTopK()
    {
        var cases = GoldenFile.Cases("tiny-bert-reranker").Where(c => c.MaxLength == 512).ToList();
        string query = cases[0].Query!;
        var docs = cases.Where(c => c.Query == query).ToList();
        Assert.True(docs.Count >= 2);
        using var model = GoldenModels.CrossEncoder("tiny-bert-reranker", 512);
        var ranked = model.Rank(query, docs.Select(d => d.Document!).ToArray(), topK: 1);
        int best = Enumerable.Range(0, docs.Count).MaxBy(i => docs[i].Logit!.Value);
        var top = Assert.Single(ranked);
        Assert.Equal(best, top.Index);
        Assert.Equal(docs[best].Document, top.Document);
        Assert.Equal(docs[best].Logit!.Value, top.Score, Tolerance);
        var all = model.Rank(query, docs.Select(d => d.Document!).ToArray());
        Assert.Equal(docs.Count, all.Count);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public void ConcurrentCallersShareOneSessionAndGetTheSameScores()
    {
        var cases = GoldenFile.Cases("tiny-bert-reranker").Where(c => c.MaxLength == 512).ToList();
        var pairs = cases.Select(c => (c.Query!, c.Document!)).ToArray();
        using var model = GoldenModels.CrossEncoder("tiny-bert-reranker", 512);
        var results = new float[8][];
        Parallel.For(0, results.Length, i => results[i] = model.Predict(pairs, new PredictOptions { BatchSize = 1 + i % 4 }));
        foreach (var scores in results)
            Assert.Equal(cases.Select(c => c.Logit!.Value), scores.Select(s => (double)s), new ToleranceComparer(Tolerance));
    }

    [Fact]
    public void BiEncoderReproducesGoldenEmbeddingsOneAtATimeAndBatched()
    {
        var cases = GoldenFile.Cases("tiny-bert-embedder");
        using var model = GoldenModels.BiEncoder("tiny-bert-embedder");
        Assert.Equal(PoolingMode.Mean, model.Pooling);
        Assert.True(model.NormalizesByDefault);
        foreach (var c in cases)
            AssertClose(c.Embedding!, model.Encode([c.Text!])[0], c.Text!);
        foreach (int batchSize in new[] { 3, 32 })
        {
            var all = model.Encode(cases.Select(c => c.Text!).ToArray(), new EncodeOptions { BatchSize = batchSize });
            for (int i = 0; i < cases.Count; i++)
                AssertClose(cases[i].Embedding!, all[i], $"batch {batchSize} case {i}");
        }
    }

    [Fact]
    public void BiEncoderCosinesMatchTheGoldenMatrix()
    {
        var cases = GoldenFile.Cases("tiny-bert-embedder");
        var golden = GoldenFile.CosineMatrix("tiny-bert-embedder");
        using var model = GoldenModels.BiEncoder("tiny-bert-embedder");
        var e = model.Encode(cases.Select(c => c.Text!).ToArray());
        for (int i = 0; i < e.Length; i++)
            for (int j = 0; j < e.Length; j++)
                Assert.Equal(golden[i][j], System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(e[i], e[j]), Tolerance);
    }

    [Fact]
    public void UnnormalizedEmbeddingIsTheGoldenDirectionWithItsOwnLength()
    {
        var c = GoldenFile.Cases("tiny-bert-embedder")[0];
        using var model = GoldenModels.BiEncoder("tiny-bert-embedder");
        var raw = model.Encode([c.Text!], new EncodeOptions { NormalizeEmbeddings = false })[0];
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm(raw);
        Assert.True(Math.Abs(norm - 1) > 1e-3, "the mean-pooled vector should not already be unit length");
        AssertClose(c.Embedding!, raw.Select(x => x / norm).ToArray(), "normalized by hand");
    }

    [Fact]
    public async Task EmbeddingGeneratorInterfaceReturnsTheSameVectors()
    {
        var cases = GoldenFile.Cases("tiny-bert-embedder").Take(3).ToList();
        using var model = GoldenModels.BiEncoder("tiny-bert-embedder");
        Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> generator = model;
        var generated = await generator.GenerateAsync(cases.Select(c => c.Text!));
        Assert.Equal(cases.Count, generated.Count);
        for (int i = 0; i < cases.Count; i++)
            AssertClose(cases[i].Embedding!, generated[i].Vector.ToArray(), $"generator {i}");
        var metadata = (Microsoft.Extensions.AI.EmbeddingGeneratorMetadata?)generator.GetService(typeof(Microsoft.Extensions.AI.EmbeddingGeneratorMetadata));
        Assert.Equal(32, metadata?.DefaultModelDimensions);
    }

    private static void AssertClose(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(worst < Tolerance, $"{what}: largest difference {worst}");
    }
}

internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) < tolerance;

    public int GetHashCode(double obj) => 0;
}
