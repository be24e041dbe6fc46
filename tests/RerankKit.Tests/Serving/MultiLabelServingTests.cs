using System.Net;
using System.Net.Http.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Serving;

/// <summary><c>rerankkit serve</c> on a three-label NLI model: both rerank endpoints refuse with 422 and one JSON
/// error naming the labels, as sentence-transformers' rank refuses such a model, instead of failing with a 500.</summary>
public sealed class MultiLabelServingTests
{
    [Fact]
    public async Task RerankEndpointsRefuseAMultiLabelModelWithOneJsonError()
    {
        using var serve = await ServeProcess.StartAsync("--model", SharedData.Fixture("tiny-distilbert-nli"), "--no-batching");
        using var client = new HttpClient { BaseAddress = serve.Address };
        var requests = new (string Path, object Body)[]
        {
            ("/rerank", new { query = "A man plays a guitar.", texts = new[] { "Someone makes music.", "Nobody is there." } }),
            ("/v1/rerank", new { query = "A man plays a guitar.", documents = new[] { "Someone makes music.", "Nobody is there." } }),
        };
        foreach (var (path, body) in requests)
        {
            using var response = await client.PostAsJsonAsync(path, body);
            var error = await TestServer.JsonAsync(response, (int)HttpStatusCode.UnprocessableEntity);
            Assert.Equal("model", (string?)error["field"]);
            Assert.Contains("contradiction, entailment, neutral", (string?)error["error"]);
        }
    }
}
