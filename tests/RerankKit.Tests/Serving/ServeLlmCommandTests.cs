using System.Net.Http.Json;
using RerankKit.Tests.Cli;
using RerankKit.Tests.Listwise;

namespace RerankKit.Tests.Serving;

/// <summary><c>rerankkit serve --llm-endpoint</c> in front of the scripted chat server: the Cohere endpoint answers
/// in the LLM's order, and a request's documents reach the LLM as one list.</summary>
public sealed class ServeLlmCommandTests
{
    [Fact]
    public async Task TheRerankEndpointAnswersInTheLlmsOrderWithTheWholeRequestInOneList()
    {
        await using var chat = await ScriptedChatServer.StartAsync();
        chat.Fallback = ScriptedChatServer.Reversing();
        using var serve = await ServeProcess.StartAsync("--llm-endpoint", chat.Endpoint.ToString(), "--llm-model", "scripted-model", "--llm-window", "50");
        using var client = new HttpClient { BaseAddress = serve.Address };
        // 40 documents of about 500 tokens each: more than one default token budget (16,384), so a batcher that
        // split the request would send the LLM two lists.
        var documents = Enumerable.Range(0, 40).Select(i => $"d{i} " + new string('x', 2000)).ToArray();
        var response = await TestServer.JsonAsync(await client.PostAsJsonAsync("/v1/rerank", new { query = "q", documents, top_n = 3 }));

        Assert.Equal([39, 38, 37], response["results"]!.AsArray().Select(r => (int)r!["index"]!));
        var request = Assert.Single(chat.Requests);
        Assert.Equal(40, request.Passages.Count);
        Assert.Equal("d0", request.Passages[0][..2]);
    }

    [Fact]
    public void AScoreCacheSharedThroughRedisIsRefusedForAnLlm()
    {
        var run = CliProcess.Run("serve", "--llm-endpoint", "http://127.0.0.1:9/v1", "--llm-model", "m", "--redis", "127.0.0.1:1");
        CliAssert.UserError(run, "--redis shares a score cache");
    }
}
