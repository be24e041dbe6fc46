using System.Numerics.Tensors;
using RerankKit.Retrieval;

namespace RerankKit.Tests.Retrieval;

public sealed class DenseRetrieverTests
{
    private static VectorMatrix RandomMatrix(int count, int dim, int seed)
    {
        var random = new Random(seed);
        var values = new float[count * dim];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return new VectorMatrix(values, count, dim);
    }

    [Fact]
    public void Exact_search_returns_the_brute_force_top_k()
    {
        using var matrix = RandomMatrix(500, 48, 1);
        var query = RandomMatrix(1, 48, 2).Row(0).ToArray();
        var expected = Enumerable.Range(0, 500)
            .Select(i => (Index: i, Score: matrix.Row(i).ToArray().Zip(query).Sum(p => p.First * p.Second)))
            .OrderByDescending(x => x.Score).Take(10).ToList();

        var hits = new DenseRetriever(new HashingBiEncoder(48), matrix).SearchByVector(query, 10);

        Assert.Equal(expected.Select(e => e.Index), hits.Select(h => h.Index));
        Assert.All(hits.Zip(expected), p => Assert.Equal(p.Second.Score, p.First.Score, 4));
    }

    [Fact]
    public void Int8_dot_product_equals_the_integer_sum_and_shortlist_rescoring_recovers_exact_results()
    {
        var random = new Random(3);
        var a = Enumerable.Range(0, 77).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        var b = Enumerable.Range(0, 77).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        Assert.Equal(a.Zip(b).Sum(p => p.First * p.Second), Int8Vectors.DotInt8(a, b));

        using var matrix = RandomMatrix(400, 64, 4);
        var int8 = Int8Vectors.Quantize(matrix);
        var query = RandomMatrix(1, 64, 5).Row(0).ToArray();
        var exact = new DenseRetriever(new HashingBiEncoder(64), matrix).SearchByVector(query, 10);
        var quantized = new DenseRetriever(new HashingBiEncoder(64), matrix, int8).SearchByVector(query, 10);

        Assert.Equal(exact.Select(h => h.Index), quantized.Select(h => h.Index));
        Assert.Equal(exact.Select(h => h.Score), quantized.Select(h => h.Score));
        var approx = new float[400];
        int8.DotAll(query, approx);
        var truth = new float[400];
        matrix.DotAll(query, truth);
        Assert.True(TensorPrimitives.Distance(approx, truth) / TensorPrimitives.Norm(truth) < 0.02);
    }

    [Fact]
    public void Encoder_query_finds_the_document_sharing_its_words()
    {
        var encoder = new HashingBiEncoder();
        string[] docs = ["gpu memory bandwidth", "lora adapters for fine tuning", "attention heads"];
        using var matrix = VectorMatrix.FromRows(encoder.Encode(docs), encoder.Dimension);
        var hits = new DenseRetriever(encoder, matrix).Search("how do lora adapters work", 1);
        Assert.Equal(1, hits[0].Index);
    }

    [Fact]
    public void Reciprocal_rank_fusion_sums_inverse_ranks()
    {
        var fused = ReciprocalRankFusion.Fuse(
            [[new RetrievalHit(1, 9), new RetrievalHit(2, 8)], [new RetrievalHit(2, 0.9f), new RetrievalHit(3, 0.5f)]], 3, k: 60);
        Assert.Equal([2, 1, 3], fused.Select(h => h.Index));
        Assert.Equal(1f / 62 + 1f / 61, fused[0].Score, 6);
        Assert.Equal(1f / 61, fused[1].Score, 6);
    }
}
