using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.AspNetCore;

/// <summary><c>MapRerankKit</c> inside someone else's app, through Kestrel on loopback: the host's middleware
/// applies, and the answers equal the library's.</summary>
public sealed class MapRerankKitTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddRerankKit()
            .AddCrossEncoder("reranker", SharedData.Fixture("tiny-bert-reranker"), o => o.Threads = 1)
            .AddBiEncoder("embedder", SharedData.Fixture("tiny-bert-embedder"), o => o.Threads = 1);
        _app = builder.Build();
        // The host's own policy: an API key on everything under /api.
        _app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api") && context.Request.Headers["X-Api-Key"] != "secret")
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            await next(context);
        });
        _app.MapRerankKit("/api");
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostAsync(string path, object body, bool key = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key)
            request.Headers.Add("X-Api-Key", "secret");
        return _client.SendAsync(request);
    }

    [Fact]
    public async Task The_hosts_middleware_guards_the_endpoints()
    {
        var response = await PostAsync("/api/rerank", new { query = "q", texts = new[] { "d" } }, key: false);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Rerank_and_cohere_rerank_equal_the_library()
    {
        string query = "How many people live in Berlin?";
        string[] docs = ["Berlin has 3.5 million inhabitants.", "Berlin is known for its museums.", "Paris is in France."];
        using var model = new CrossEncoder(SharedData.Fixture("tiny-bert-reranker"));
        // TEI and Cohere answer sigmoid-calibrated scores whatever the model's own activation.
        var expected = model.Predict(docs.Select(d => (query, d)).ToArray(), new PredictOptions { ActivationFn = ScoreActivation.Sigmoid });

        var tei = JsonNode.Parse(await (await PostAsync("/api/rerank", new { query, texts = docs })).Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(3, tei.Count);
        foreach (var hit in tei)
            Assert.Equal(expected[(int)hit!["index"]!], (float)hit["score"]!, 5);

        var cohereResponse = await PostAsync("/api/v1/rerank", new { query, documents = docs, top_n = 1 });
        Assert.Equal(HttpStatusCode.OK, cohereResponse.StatusCode);
        var cohere = JsonNode.Parse(await cohereResponse.Content.ReadAsStringAsync())!;
        int best = Array.IndexOf(expected, expected.Max());
        Assert.Equal(best, (int)cohere["results"]![0]!["index"]!);
    }

    [Fact]
    public async Task Openai_embeddings_equal_the_library()
    {
        using var model = new BiEncoder(SharedData.Fixture("tiny-bert-embedder"));
        var expected = model.Encode(["Berlin"])[0];
        var response = await PostAsync("/api/v1/embeddings", new { input = "Berlin", model = "embedder" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var vector = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]![0]!["embedding"]!.AsArray().Select(v => (float)v!).ToArray();
        Assert.Equal(expected.Length, vector.Length);
        for (int i = 0; i < vector.Length; i++)
            Assert.Equal(expected[i], vector[i], 5);
    }

    [Fact]
    public async Task Info_and_errors_keep_their_shape_under_a_prefix()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/info");
        request.Headers.Add("X-Api-Key", "secret");
        var info = JsonNode.Parse(await (await _client.SendAsync(request)).Content.ReadAsStringAsync())!;
        Assert.EndsWith("tiny-bert-reranker", (string)info["model_id"]!);

        var bad = await PostAsync("/api/rerank", new { query = "q" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("texts", await bad.Content.ReadAsStringAsync());
    }
}
