using System.Net.Http.Headers;
using System.Text;
using RerankKit.Cli.Commands;
using RerankKit.Tests.Batching;

namespace RerankKit.Tests.Serving;

/// <summary>Every error status, whoever raises it (the endpoints, routing or Kestrel's limits), answers with the
/// JSON error body, and a 500 never tells the client what failed inside.</summary>
public sealed class HttpProtocolErrorTests(TestServerFixture fixture) : IClassFixture<TestServerFixture>
{
    private TestServer S => fixture.Server;

    private static async Task<string> ErrorTypeAsync(HttpResponseMessage response, int status)
    {
        var error = await TestServer.JsonAsync(response, status);
        Assert.False(string.IsNullOrWhiteSpace((string?)error["error"]));
        return (string)error["error_type"]!;
    }

    [Theory]
    [InlineData("/rerank", "{\"query\": \"\\ud800\", \"texts\": [\"a\"]}", "query")]
    [InlineData("/rerank", "{\"query\": \"q\", \"texts\": [\"a\", \"b\\udc00c\"]}", "texts[1]")]
    [InlineData("/v1/rerank", "{\"query\": \"q\", \"documents\": [{\"text\": \"\\ud800\"}]}", "documents[0].text")]
    [InlineData("/v1/rerank", "{\"query\": \"q\", \"documents\": [\"\\ud800\"]}", "documents[0]")]
    [InlineData("/embed", "{\"inputs\": \"\\ud800\"}", "inputs")]
    [InlineData("/v1/embeddings", "{\"input\": [\"\\ud800\"]}", "input[0]")]
    [InlineData("/v1/embeddings", "{\"input\": \"a\", \"model\": \"\\ud800\"}", "model")]
    [InlineData("/tokenize", "{\"inputs\": [\"\\ud800\"]}", "inputs[0]")]
    public async Task A_lone_surrogate_gives_400_naming_the_field(string path, string body, string field)
    {
        var error = await TestServer.JsonAsync(await S.PostRawAsync(path, body), 400);
        Assert.Equal(field, (string)error["field"]!);
        Assert.Contains("surrogate", (string)error["error"]!);
    }

    [Theory]
    [InlineData("/rerank", "{\"query\": \"q\", \"texts\": [\"a\xff\"]}", "texts[0]")]
    [InlineData("/v1/rerank", "{\"query\": \"\xc3\", \"documents\": [\"a\"]}", "query")]
    [InlineData("/embed", "{\"inputs\": [\"\xed\xa0\x80\"]}", "inputs[0]")]
    [InlineData("/v1/embeddings", "{\"input\": \"\xfe\"}", "input")]
    [InlineData("/tokenize", "{\"inputs\": \"\x80\"}", "inputs")]
    public async Task Invalid_utf8_gives_400_naming_the_field(string path, string latin1Body, string field)
    {
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(latin1Body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var error = await TestServer.JsonAsync(await S.Client.PostAsync(path, content), 400);
        Assert.Equal(field, (string)error["field"]!);
        Assert.Contains("UTF-8", (string)error["error"]!);
    }

    [Theory]
    [InlineData("/rerank", "text/plain")]
    [InlineData("/v1/embeddings", "application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_json_gives_415(string path, string mediaType)
    {
        var content = new StringContent("{\"query\": \"q\", \"texts\": [\"a\"], \"inputs\": \"a\", \"input\": \"a\"}", Encoding.UTF8, mediaType);
        Assert.Equal("unsupported_media_type", await ErrorTypeAsync(await S.Client.PostAsync(path, content), 415));
    }

    [Fact]
    public async Task A_json_media_type_with_parameters_is_accepted()
    {
        var content = new StringContent("{\"query\": \"q\", \"texts\": [\"a\"]}", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        await TestServer.JsonAsync(await S.Client.PostAsync("/rerank", content));
    }

    [Theory]
    [InlineData("GET", "/rerank")]
    [InlineData("PUT", "/v1/rerank")]
    [InlineData("DELETE", "/embed")]
    [InlineData("POST", "/info")]
    [InlineData("POST", "/metrics")]
    [InlineData("POST", "/health")]
    public async Task A_wrong_method_gives_405_with_a_json_body(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var response = await S.Client.SendAsync(request);
        Assert.Equal("method_not_allowed", await ErrorTypeAsync(response, 405));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task An_unknown_path_gives_404_with_a_json_body(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/nope");
        Assert.Equal("not_found", await ErrorTypeAsync(await S.Client.SendAsync(request), 404));
    }

    [Fact]
    public async Task A_too_long_url_gives_414_with_a_json_body()
    {
        var response = await S.Client.GetAsync("/info?x=" + new string('a', 20_000));
        Assert.Equal("uri_too_long", await ErrorTypeAsync(response, 414));
    }

    [Fact]
    public async Task Too_large_headers_give_431_with_a_json_body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/info");
        for (int i = 0; i < 8; i++)
            request.Headers.Add($"X-Big-{i}", new string('b', 8_000));
        Assert.Equal("headers_too_large", await ErrorTypeAsync(await S.Client.SendAsync(request), 431));
    }

    [Fact]
    public async Task A_request_not_scored_within_its_deadline_gives_503_with_retry_after()
    {
        var reranker = new FakeCrossEncoder { Holding = true };
        await using var server = await TestServer.StartAsync(
            new RerankServerOptions { Batching = new() { RequestTimeout = TimeSpan.FromMilliseconds(100) } }, reranker);

        var response = await server.PostAsync("/rerank", new { query = "q", texts = new[] { "held by the model" } });

        Assert.Equal("timeout", await ErrorTypeAsync(response, 503));
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_server_fault_gives_500_without_the_exception_message()
    {
        using var reranker = new ThrowingCrossEncoder(failures: int.MaxValue);
        await using var server = await RerankServer.StartAsync(new ServedModels(reranker),
            new RerankServerOptions { Host = "127.0.0.1", Port = 0 });
        using var client = new HttpClient { BaseAddress = server.Address };

        var response = await client.PostAsync("/rerank", new StringContent("{\"query\": \"q\", \"texts\": [\"a\"]}", Encoding.UTF8, "application/json"));
        var error = await TestServer.JsonAsync(response, 500);
        Assert.DoesNotContain("the model failed", (string)error["error"]!);
        Assert.Equal("backend", (string)error["error_type"]!);
    }
}
