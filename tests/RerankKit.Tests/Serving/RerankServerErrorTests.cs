using System.Net;
using System.Text.Json.Nodes;

using RerankKit.Cli.Commands;

namespace RerankKit.Tests.Serving;

/// <summary>Bad input gets 400 or 413 with a JSON error naming the field, never a 500.</summary>
public sealed class RerankServerErrorTests(TestServerFixture fixture) : IClassFixture<TestServerFixture>
{
    private TestServer S => fixture.Server;

    [Theory]
    [InlineData("/rerank", "{\"query\": \"q\", \"texts\": [\"a\"", "body")]
    [InlineData("/rerank", "[1, 2]", "body")]
    [InlineData("/rerank", "", "body")]
    [InlineData("/rerank", "{\"texts\": [\"a\"]}", "query")]
    [InlineData("/rerank", "{\"query\": 5, \"texts\": [\"a\"]}", "query")]
    [InlineData("/rerank", "{\"query\": \"q\"}", "texts")]
    [InlineData("/rerank", "{\"query\": \"q\", \"texts\": \"a\"}", "texts")]
    [InlineData("/rerank", "{\"query\": \"q\", \"texts\": [\"a\", 3]}", "texts[1]")]
    [InlineData("/rerank", "{\"query\": \"q\", \"texts\": [\"a\"], \"raw_scores\": \"yes\"}", "raw_scores")]
    [InlineData("/rerank", "{\"query\": \"q\", \"texts\": [\"a\"], \"truncate\": 1}", "truncate")]
    [InlineData("/v1/rerank", "{\"query\": \"q\", \"documents\": [{\"title\": \"a\"}]}", "documents[0]")]
    [InlineData("/v1/rerank", "{\"query\": \"q\", \"documents\": [\"a\"], \"top_n\": 0}", "top_n")]
    [InlineData("/v1/rerank", "{\"query\": \"q\", \"documents\": [\"a\"], \"top_n\": 1.5}", "top_n")]
    [InlineData("/v1/rerank", "{\"query\": \"q\", \"documents\": [\"a\"], \"model\": 7}", "model")]
    [InlineData("/v1/rerank", "{\"query\": \"q\", \"documents\": {\"text\": \"a\"}}", "documents")]
    [InlineData("/embed", "{\"inputs\": 3}", "inputs")]
    [InlineData("/embed", "{\"input\": \"a\"}", "inputs")]
    [InlineData("/v1/embeddings", "{\"input\": [[1, 2]]}", "input[0]")]
    [InlineData("/v1/embeddings", "{\"input\": \"a\", \"encoding_format\": \"int8\"}", "encoding_format")]
    [InlineData("/v1/embeddings", "{\"input\": \"a\", \"dimensions\": 64}", "dimensions")]
    [InlineData("/tokenize", "{\"inputs\": null}", "inputs")]
    public async Task Invalid_or_mistyped_input_gives_400_naming_the_field(string path, string body, string field)
    {
        var error = await TestServer.JsonAsync(await S.PostRawAsync(path, body), 400);
        Assert.Equal(field, (string)error["field"]!);
        Assert.False(string.IsNullOrWhiteSpace((string)error["error"]!));
    }

    [Theory]
    [InlineData("/rerank", "texts", "texts")]
    [InlineData("/v1/rerank", "documents", "documents")]
    [InlineData("/embed", "inputs", "inputs")]
    [InlineData("/v1/embeddings", "input", "input")]
    public async Task Too_many_documents_give_413(string path, string listField, string field)
    {
        var body = new JsonObject { ["query"] = "q", [listField] = new JsonArray(Enumerable.Range(0, 6).Select(i => (JsonNode)$"doc {i}").ToArray()) };
        var error = await TestServer.JsonAsync(await S.PostAsync(path, body), 413);
        Assert.Equal(field, (string)error["field"]!);
    }

    [Fact]
    public async Task Too_long_documents_and_queries_give_413_naming_them()
    {
        string longText = new('x', 61);
        var doc = await TestServer.JsonAsync(await S.PostAsync("/rerank", new { query = "q", texts = new[] { "ok", longText } }), 413);
        var obj = await TestServer.JsonAsync(await S.PostAsync("/v1/rerank", new { query = "q", documents = new[] { new { text = longText } } }), 413);
        var query = await TestServer.JsonAsync(await S.PostAsync("/rerank", new { query = longText, texts = new[] { "ok" } }), 413);

        Assert.Equal("texts[1]", (string)doc["field"]!);
        Assert.Equal("documents[0].text", (string)obj["field"]!);
        Assert.Equal("query", (string)query["field"]!);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_the_size_limit_gives_413_with_or_without_a_content_length(bool chunked)
    {
        string big = $"{{\"query\": \"q\", \"texts\": [\"{new string('y', 5000)}\"]}}";
        int length = System.Text.Encoding.UTF8.GetByteCount(big);
        string request = "POST /rerank HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n" + (chunked
            ? $"Transfer-Encoding: chunked\r\n\r\n{length:x}\r\n{big}\r\n0\r\n\r\n"
            : $"Content-Length: {length}\r\n\r\n{big}");
        // One write on a raw socket: HttpClient could still be sending when the server answers early and closes,
        // and lose the answer to a connection reset.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(S.Server.Address.Host, S.Server.Address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(request));
        string response = await new StreamReader(stream).ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 413", response);
        Assert.Contains("\"field\":\"body\"", response);
    }

    [Fact]
    public async Task An_empty_document_list_gives_an_empty_result()
    {
        var tei = await TestServer.JsonAsync(await S.PostAsync("/rerank", new { query = "q", texts = Array.Empty<string>() }));
        var cohere = await TestServer.JsonAsync(await S.PostAsync("/v1/rerank", new { query = "q", documents = Array.Empty<string>() }));
        var embed = await TestServer.JsonAsync(await S.PostAsync("/embed", new { inputs = Array.Empty<string>() }));

        Assert.Empty(tei.AsArray());
        Assert.Empty(cohere["results"]!.AsArray());
        Assert.Empty(embed.AsArray());
    }

    [Fact]
    public async Task Unknown_paths_and_methods_are_not_server_errors()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await S.PostRawAsync("/nope", "{}")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await S.Client.GetAsync("/rerank")).StatusCode);
    }
}
