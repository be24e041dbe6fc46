using System.Text.Json.Nodes;
using RerankKit.Cli.Commands;
using RerankKit.Tests.Batching;
using RerankKit.Tests.Serving;

namespace RerankKit.Tests.Prompts;

public class ServingPromptTests
{
    private static async Task<(RerankServer Server, HttpClient Client)> StartAsync(BiEncoder model)
    {
        var server = await RerankServer.StartAsync(new ServedModels(new FakeCrossEncoder(), model), new RerankServerOptions { Host = "127.0.0.1", Port = 0 });
        return (server, new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) });
    }

    private static float[] Vector(JsonNode node) => node.AsArray().Select(x => (float)x!).ToArray();

    [Fact]
    public async Task EmbedEndpointsEmbedDocumentsUnlessPromptNameSaysOtherwise()
    {
        using var fixture = new PromptFixture("""{ "prompts": { "query": "query: ", "passage": "passage: " } }""");
        using var model = fixture.Load();
        var (server, client) = await StartAsync(model);
        await using var _ = server;
        using var __ = client;
        string text = "the cat sat on the mat";

        var tei = await TestServer.JsonAsync(await client.PostAsync("/embed", Json(new { inputs = text })));
        Assert.Equal(model.EncodeDocument([text])[0], Vector(tei[0]!));
        var teiQuery = await TestServer.JsonAsync(await client.PostAsync("/embed", Json(new { inputs = text, prompt_name = "query" })));
        Assert.Equal(model.EncodeQuery([text])[0], Vector(teiQuery[0]!));

        var openAi = await TestServer.JsonAsync(await client.PostAsync("/v1/embeddings", Json(new { input = text, dimensions = 8 })));
        Assert.Equal(model.EncodeDocument([text], new EncodeOptions { TruncateDim = 8 })[0], Vector(openAi["data"]![0]!["embedding"]!));

        var error = await TestServer.JsonAsync(await client.PostAsync("/embed", Json(new { inputs = text, prompt_name = "nope" })), 400);
        Assert.Equal("prompt_name", (string)error["field"]!);
        Assert.Contains("query, passage", (string)error["error"]!);
    }

    private static StringContent Json(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
