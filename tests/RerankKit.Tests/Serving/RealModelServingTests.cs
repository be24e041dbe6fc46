using System.Net.Http.Json;
using RerankKit.Serving;
using RerankKit.Tests.Inference;
using RerankKit.Tests.Infrastructure;

using RerankKit.Cli.Commands;

namespace RerankKit.Tests.Serving;

public sealed class RealModelServerFixture : IAsyncLifetime
{
    public CrossEncoder Reranker { get; } = new(SharedData.Fixture("tiny-bert-reranker"));

    public BiEncoder Embedder { get; } = new(SharedData.Fixture("tiny-bert-embedder"));

    public RerankServer Server { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RerankServer.StartAsync(new ServedModels(Reranker, Embedder),
            new RerankServerOptions { Port = 0 });
        Client = new HttpClient { BaseAddress = Server.Address };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Reranker.Dispose();
        Embedder.Dispose();
    }
}

/// <summary>The served scores and embeddings of the tiny fixture models equal the library's and the float64
/// golden values.</summary>
public sealed class RealModelServingTests(RealModelServerFixture fixture) : IClassFixture<RealModelServerFixture>
{
    private static readonly GoldenCase[] Pairs = GoldenFile.Cases("tiny-bert-reranker").Where(c => c.MaxLength == 512).ToArray();

    [Fact]
    public async Task Raw_scores_over_http_equal_predict_and_the_golden_logits()
    {
        // Every golden pair shares one request per query, so the batcher merges and reorders them.
        var byQuery = Pairs.GroupBy(c => c.Query!).ToArray();
        var responses = await Task.WhenAll(byQuery.Select(async g =>
        {
            var response = await fixture.Client.PostAsJsonAsync("/rerank", new { query = g.Key, texts = g.Select(c => c.Document!).ToArray(), raw_scores = true });
            return (Group: g.ToArray(), Results: (await TestServer.JsonAsync(response)).AsArray());
        }));

        foreach (var (group, results) in responses)
        {
            float[] predicted = fixture.Reranker.Predict(group.Select(c => (c.Query!, c.Document!)).ToArray(), new PredictOptions { ActivationFn = ScoreActivation.Identity });
            foreach (var result in results)
            {
                int index = (int)result!["index"]!;
                float score = (float)result["score"]!;
                Assert.Equal(predicted[index], score, 1e-5f);
                // A typed "[UNK]" is the special token for the official library; the golden logit split it as text
                // (see GoldenTokenization), so only the served-equals-predicted check applies to that pair.
                if (!$"{group[index].Query}{group[index].Document}".Contains("[UNK]", StringComparison.Ordinal))
                    Assert.Equal(group[index].Logit!.Value, score, 1e-4);
            }
        }
    }

    [Fact]
    public async Task Relevance_scores_are_the_sigmoid_predictions_best_first()
    {
        string query = "What is the capital of France?";
        string[] documents = Pairs.Where(c => c.Query == query).Select(c => c.Document!).ToArray();
        var response = await TestServer.JsonAsync(await fixture.Client.PostAsJsonAsync("/v1/rerank", new { query, documents, return_documents = true }));

        float[] expected = fixture.Reranker.Predict(documents.Select(d => (query, d)).ToArray(), new PredictOptions { ActivationFn = ScoreActivation.Sigmoid });
        var results = response["results"]!.AsArray();
        Assert.Equal(expected.Select((s, i) => (s, i)).OrderByDescending(x => x.s).Select(x => x.i), results.Select(r => (int)r!["index"]!));
        foreach (var r in results)
        {
            int index = (int)r!["index"]!;
            Assert.Equal(expected[index], (float)r["relevance_score"]!, 1e-6f);
            Assert.Equal(documents[index], (string)r["document"]!["text"]!);
        }
    }

    [Fact]
    public async Task Embeddings_over_http_equal_encode_and_the_golden_vectors()
    {
        var cases = GoldenFile.Cases("tiny-bert-embedder");
        string[] texts = cases.Select(c => c.Text!).ToArray();
        var tei = (await TestServer.JsonAsync(await fixture.Client.PostAsJsonAsync("/embed", new { inputs = texts }))).AsArray();
        var openAi = (await TestServer.JsonAsync(await fixture.Client.PostAsJsonAsync("/v1/embeddings", new { input = texts })))["data"]!.AsArray();

        float[][] encoded = fixture.Embedder.Encode(texts);
        for (int i = 0; i < texts.Length; i++)
        {
            float[] fromTei = tei[i]!.AsArray().Select(x => (float)x!).ToArray();
            float[] fromOpenAi = openAi[i]!["embedding"]!.AsArray().Select(x => (float)x!).ToArray();
            Assert.Equal(encoded[i], fromTei);
            Assert.Equal(encoded[i], fromOpenAi);
            for (int d = 0; d < fromTei.Length; d++)
                Assert.Equal(cases[i].Embedding![d], fromTei[d], 1e-4);
        }
    }

    [Fact]
    public async Task Tokenize_gives_the_golden_ids()
    {
        var golden = GoldenFile.Cases("tiny-bert-embedder")[0];
        var tokens = (await TestServer.JsonAsync(await fixture.Client.PostAsJsonAsync("/tokenize", new { inputs = golden.Text })))[0]!.AsArray();
        Assert.Equal(golden.InputIds, tokens.Select(t => (int)t!["id"]!));
    }
}
