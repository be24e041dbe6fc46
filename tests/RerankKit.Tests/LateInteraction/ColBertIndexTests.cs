using RerankKit.Documents;
using RerankKit.LateInteraction;
using RerankKit.Retrieval;
using RerankKit.Tests.Engine;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.LateInteraction;

/// <summary>ColBERT as a first stage: the token vectors stored in an index folder survive a save and load (the
/// manifest checks them), and exact MaxSim over the index equals the fixture's golden score matrix.</summary>
public sealed class ColBertIndexTests
{
    [Fact]
    public void A_saved_index_scores_every_document_as_the_golden_matrix()
    {
        var matrix = Golden.Of("tiny-colbert").Root.GetProperty("matrix");
        string[] queries = matrix.GetProperty("queries").EnumerateArray().Select(x => x.GetString()!).ToArray();
        var documents = matrix.GetProperty("documents").EnumerateArray()
            .Select((x, i) => new Document($"d{i}", x.GetString()!)).ToArray();
        var expected = matrix.GetProperty("scores").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
        using var model = ColBert.Open("tiny-colbert", SharedData.Fixture("tiny-colbert"), new ColBertOptions { BatchSize = 4 });
        using var dir = new ScratchFolder();
        string folder = Path.Combine(dir.Path, "index");
        using (var built = SearchIndex.Build(documents, options: new SearchIndexOptions { ColBert = model }))
            built.Save(folder);
        using var index = SearchIndex.Load(folder);
        Assert.Equal("tiny-colbert", index.Manifest.ColBertModel);
        Assert.Equal(16, index.TokenVectors!.Dimension);
        var retriever = index.CreateColBertRetriever(model);
        for (int q = 0; q < queries.Length; q++)
        {
            var hits = retriever.Search(queries[q], documents.Length);
            Assert.Equal(Enumerable.Range(0, documents.Length).OrderByDescending(d => expected[q][d]), hits.Select(h => h.Index));
            foreach (var hit in hits)
                Assert.Equal(expected[q][hit.Index], hit.Score, 1e-4);
        }
    }

    [Fact]
    public void A_corrupted_token_vector_file_is_refused_on_load()
    {
        var documents = new[] { new Document("a", "first text"), new Document("b", "second text") };
        using var model = ColBert.Open("tiny-colbert", SharedData.Fixture("tiny-colbert"), new ColBertOptions());
        using var dir = new ScratchFolder();
        string folder = Path.Combine(dir.Path, "index");
        using (var built = SearchIndex.Build(documents, options: new SearchIndexOptions { ColBert = model }))
            built.Save(folder);
        var bytes = File.ReadAllBytes(Path.Combine(folder, "colbert.f32"));
        bytes[5] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(folder, "colbert.f32"), bytes);
        var e = Assert.Throws<InvalidDataException>(() => SearchIndex.Load(folder));
        Assert.Contains("colbert.f32", e.Message);
    }
}
