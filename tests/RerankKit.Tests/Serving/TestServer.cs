using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RerankKit.Serving;
using RerankKit.Tests.Batching;

using RerankKit.Cli.Commands;

namespace RerankKit.Tests.Serving;

/// <summary>A <see cref="RerankServer"/> on a free loopback port with an HTTP client pointed at it.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(RerankServer server, FakeCrossEncoder reranker, HttpClient client)
    {
        Server = server;
        Reranker = reranker;
        Client = client;
    }

    public RerankServer Server { get; }

    public FakeCrossEncoder Reranker { get; }

    public HttpClient Client { get; }

    public static async Task<TestServer> StartAsync(RerankServerOptions? options = null, FakeCrossEncoder? reranker = null)
    {
        reranker ??= new FakeCrossEncoder();
        options = (options ?? new RerankServerOptions()) with { Host = "127.0.0.1", Port = 0 };
        var models = new ServedModels(reranker, new FakeBiEncoder());
        var server = await RerankServer.StartAsync(models, options);
        return new TestServer(server, reranker, new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) });
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body, CancellationToken cancellationToken = default) =>
        Client.PostAsJsonAsync(path, body, cancellationToken);

    public Task<HttpResponseMessage> PostRawAsync(string path, string body) =>
        Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response, int expectedStatus = 200)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"expected {expectedStatus}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Reranker.Dispose();
    }
}

public sealed class TestServerFixture : IAsyncLifetime
{
    internal TestServer Server { get; private set; } = null!;

    public static readonly RerankServerOptions Limits = new()
    {
        MaxDocumentsPerRequest = 5,
        MaxDocumentChars = 60,
        MaxRequestBodyBytes = 4000,
    };

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(Limits);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
