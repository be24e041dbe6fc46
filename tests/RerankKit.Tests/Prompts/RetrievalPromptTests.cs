using System.Numerics.Tensors;
using RerankKit.Retrieval;
using RerankKit.Tests.Retrieval;

namespace RerankKit.Tests.Prompts;

public class RetrievalPromptTests
{
    private const string Prompts = """{ "prompts": { "query": "query: ", "passage": "passage: " } }""";

    private static readonly string[] Docs = ["the cat sat on the mat", "dogs chase cats in the park", "stock markets fell sharply today"];

    [Fact]
    public void TheIndexHoldsDocumentPromptVectorsAndDenseSearchScoresWithTheQueryPrompt()
    {
        using var fixture = new PromptFixture(Prompts);
        using var model = fixture.Load();
        using var index = SearchIndex.Build(SampleDocs.Make(Docs), model);
        var documents = model.EncodeDocument(Docs);
        for (int i = 0; i < Docs.Length; i++)
            Assert.Equal(documents[i], index.Vectors!.Row(i).ToArray());

        float[] query = model.EncodeQuery(["where is the cat"])[0];
        var hits = index.CreateRetriever(FirstStageKind.Dense, model).Search("where is the cat", 3);
        foreach (var hit in hits)
            Assert.Equal(TensorPrimitives.Dot(query, documents[hit.Index]), hit.Score, 1e-6f);
    }

    [Fact]
    public async Task HybridAndDenseRetrieversAskForQueriesAndTheIndexForDocuments()
    {
        var encoder = new HashingBiEncoder();
        using var index = SearchIndex.Build(SampleDocs.Make(Docs), encoder);
        Assert.Equal(["document"], encoder.Roles);
        encoder.Roles.Clear();
        index.CreateRetriever(FirstStageKind.Hybrid, encoder).Search("cat", 2);
        await index.CreateRetriever(FirstStageKind.Dense, encoder).SearchAsync("cat", 2);
        Assert.Equal(["query", "query"], encoder.Roles);
    }

    [Fact]
    public void AnIndexBuiltWithTruncateDimTruncatesQueriesToo()
    {
        using var fixture = new PromptFixture(Prompts);
        using var model = fixture.Load();
        var options = new SearchIndexOptions { EncodeOptions = new EncodeOptions { TruncateDim = 8 } };
        using var index = SearchIndex.Build(SampleDocs.Make(Docs), model, options);
        Assert.Equal(8, index.Vectors!.Dimension);
        Assert.Equal(8, index.Manifest.Dimension);
        var truncated = new EncodeOptions { TruncateDim = 8 };
        float[] query = model.EncodeQuery(["where is the cat"], truncated)[0];
        var documents = model.EncodeDocument(Docs, truncated);
        foreach (var hit in index.CreateRetriever(FirstStageKind.Dense, model).Search("where is the cat", 3))
            Assert.Equal(TensorPrimitives.Dot(query, documents[hit.Index]), hit.Score, 1e-6f);
    }
}
