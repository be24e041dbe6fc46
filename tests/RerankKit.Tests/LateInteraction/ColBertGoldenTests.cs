using System.Text.Json;
using RerankKit.LateInteraction;
using RerankKit.Tests.Engine;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.LateInteraction;

/// <summary>Every golden of the PyLate ColBERT fixture (../shared/fixtures/README-seq2seq-colbert.md): the ids PyLate
/// builds from text (prefixes, [MASK] expansion, truncation, skiplist), token embeddings and MaxSim within 1e-4, one
/// text at a time and batched.</summary>
public sealed class ColBertGoldenTests
{
    private const double Tolerance = 1e-4;

    private static ColBert Open(int batchSize) =>
        ColBert.Open("tiny-colbert", SharedData.Fixture("tiny-colbert"), new ColBertOptions { BatchSize = batchSize });

    private static JsonElement[] Cases => Golden.Of("tiny-colbert").Cases.ToArray();

    [Fact]
    public void Query_and_document_ids_masks_and_kept_positions_match_PyLate()
    {
        using var model = Open(8);
        foreach (var c in Cases)
        {
            var query = model.QueryInput(c.GetProperty("query").GetString()!);
            Assert.Equal(Golden.Ints(c, "query_input_ids"), query.Ids);
            Assert.Equal(Golden.Ints(c, "query_attention_mask"), query.Mask.Select(m => (int)m));
            var document = model.DocumentInput(c.GetProperty("document").GetString()!);
            Assert.Equal(Golden.Ints(c, "document_input_ids"), document.Ids);
            Assert.Equal(Golden.Ints(c, "document_attention_mask"), document.Mask.Select(m => (int)m));
            Assert.Equal(Golden.Ints(c, "document_kept_positions"), document.Kept);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(10)]
    public void MaxSim_per_token_maxima_and_embeddings_match_every_case(int batchSize)
    {
        using var model = Open(batchSize);
        var cases = Cases;
        var queries = model.EncodeQueries(cases.Select(c => c.GetProperty("query").GetString()!).ToArray());
        var documents = model.EncodeDocuments(cases.Select(c => c.GetProperty("document").GetString()!).ToArray());
        for (int i = 0; i < cases.Length; i++)
        {
            Assert.Equal(cases[i].GetProperty("maxsim").GetDouble(), MaxSim.Score(queries[i], documents[i]), Tolerance);
            var maxima = Golden.Flat(cases[i].GetProperty("query_token_max"));
            var alignment = MaxSim.Align(queries[i], documents[i]);
            Golden.AssertClose(maxima, alignment.Select(a => a.Similarity).ToArray(), Tolerance, $"case {i} query_token_max");
            if (cases[i].TryGetProperty("query_embeddings", out var qe))
            {
                Golden.AssertClose(Golden.Flat(qe), queries[i].Values, Tolerance, $"case {i} query_embeddings");
                Golden.AssertClose(Golden.Flat(cases[i].GetProperty("document_embeddings")), documents[i].Values, Tolerance, $"case {i} document_embeddings");
            }
        }
    }

    [Fact]
    public async Task The_score_matrix_matches_and_the_reranker_ranks_by_it()
    {
        var matrix = Golden.Of("tiny-colbert").Root.GetProperty("matrix");
        string[] queries = matrix.GetProperty("queries").EnumerateArray().Select(x => x.GetString()!).ToArray();
        string[] documents = matrix.GetProperty("documents").EnumerateArray().Select(x => x.GetString()!).ToArray();
        var expected = matrix.GetProperty("scores").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
        using var reranker = new ColBertReranker(Open(3));
        for (int q = 0; q < queries.Length; q++)
        {
            var scores = reranker.Score(queries[q], documents);
            for (int d = 0; d < documents.Length; d++)
                Assert.Equal(expected[q][d], scores[d], Tolerance);
            var ranked = await reranker.RankAsync(queries[q], documents);
            var expectedOrder = Enumerable.Range(0, documents.Length).OrderByDescending(d => expected[q][d]).ToArray();
            Assert.Equal(expectedOrder, ranked.Select(r => r.Index));
            Assert.Equal("colbert", reranker.ScoreKind);
        }
    }
}
