using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RerankKit.LateInteraction;
using RerankKit.Seq2Seq;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Serving;

/// <summary><c>rerankkit serve</c> on the T5 and ColBERT fixtures: the Cohere and TEI endpoints answer in the order
/// and with the raw scores of the library's <see cref="IReranker"/> on the same request, and their normalised score
/// follows the kind's rule, computed here from the raw score by the documented formula.</summary>
public sealed class ServeRerankerKindTests
{
    private const double Tolerance = 1e-5;
    private const string Query = "How do plants turn sunlight into energy?";

    private static readonly string[] Documents =
    [
        "Plants use sunlight, water and carbon dioxide to produce glucose and oxygen.",
        "Paris is the capital and most populous city of France.",
        "Chlorophyll in the chloroplasts absorbs red and blue light and reflects green.",
        "The telegraph sent coded messages over long wires decades earlier.",
    ];

    public static TheoryData<string, string, int?> Kinds => new()
    {
        { "tiny-monot5-reranker", "monot5", null },
        { "tiny-rankt5-reranker", "rankt5", null },
        { "tiny-duot5-reranker", "duot5", null },
        // Three of four compared: the fourth is unscored and its relevance score is 0.
        { "tiny-duot5-reranker", "duot5", 3 },
        { "tiny-colbert", "colbert", null },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Cohere_and_TEI_answer_as_the_library_with_the_kinds_normalised_score(string fixture, string kind, int? duoTopK)
    {
        string folder = SharedData.Fixture(fixture);
        var options = new RerankerOptions { DuoTopK = duoTopK };
        if (kind != "colbert")
            options.Scoring = T5ScoringNames.Parse(kind);
        using var library = await Rerankers.LoadAsync(folder, options);
        var expected = await library.RankAsync(Query, Documents);
        Assert.Equal(kind, library.ScoreKind);

        string[] args = kind == "colbert" ? ["--model", folder] : ["--model", folder, "--scoring", kind];
        if (duoTopK is { } top)
            args = [.. args, "--duo-top-k", top.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        using var serve = await ServeProcess.StartAsync(args);
        using var client = new HttpClient { BaseAddress = serve.Address };

        var cohere = (await TestServer.JsonAsync(await client.PostAsJsonAsync("/v1/rerank", new { query = Query, documents = Documents })))["results"]!.AsArray();
        var tei = (await TestServer.JsonAsync(await client.PostAsJsonAsync("/rerank", new { query = Query, texts = Documents }))).AsArray();
        var teiRaw = (await TestServer.JsonAsync(await client.PostAsJsonAsync("/rerank", new { query = Query, texts = Documents, raw_scores = true }))).AsArray();

        Assert.Equal(expected.Select(r => r.Index), cohere.Select(r => (int)r!["index"]!));
        Assert.Equal(expected.Select(r => r.Index), tei.Select(r => (int)r!["index"]!));
        Assert.Equal(expected.Select(r => r.Index), teiRaw.Select(r => (int)r!["index"]!));
        int compared = expected.Count(r => !float.IsNaN(r.Score));
        Assert.Equal(Math.Min(Documents.Length, duoTopK ?? Documents.Length), compared);
        for (int i = 0; i < expected.Count; i++)
        {
            float raw = expected[i].Score;
            double normalised = Normalised(kind, raw, compared, library);
            Assert.Equal(normalised, Score(cohere[i], "relevance_score"), Tolerance);
            Assert.Equal(normalised, Score(tei[i], "score"), Tolerance);
            // Raw scores are the kind's own; a document duoT5 left unscored reads float.MinValue, as in eval and search.
            if (float.IsNaN(raw))
                Assert.Equal(float.MinValue, (float)Score(teiRaw[i], "score"));
            else
                Assert.Equal(raw, Score(teiRaw[i], "score"), Tolerance);
        }
    }

    /// <summary>The rules docs/serving.md states, from the raw score alone.</summary>
    private static double Normalised(string kind, float raw, int compared, IReranker library) => kind switch
    {
        "monot5" => Math.Exp(raw),
        "rankt5" => 1 / (1 + Math.Exp(-raw)),
        "duot5" => float.IsNaN(raw) ? 0 : raw / (2.0 * (compared - 1)),
        _ => raw / QueryVectors(library),
    };

    /// <summary>ColBERT keeps every query vector, [MASK] expansion included: query_length of them for these short queries.</summary>
    private static int QueryVectors(IReranker library)
    {
        var settings = ((ColBertReranker)library).Model.Settings;
        Assert.True(settings.DoQueryExpansion);
        return settings.QueryLength;
    }

    private static double Score(JsonNode? result, string name) => (double)result![name]!;
}
