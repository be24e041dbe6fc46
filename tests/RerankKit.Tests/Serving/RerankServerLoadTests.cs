using System.Net;
using System.Text.RegularExpressions;
using RerankKit.Batching;
using RerankKit.Serving;
using RerankKit.Tests.Batching;

using RerankKit.Cli.Commands;

namespace RerankKit.Tests.Serving;

/// <summary>Overload, disconnecting clients and shutdown, through Kestrel on loopback. The fake model holds its
/// first batch so that the tests decide what waits behind it.</summary>
public sealed partial class RerankServerLoadTests
{
    private static async Task<int> QueuedPairsAsync(TestServer s)
    {
        string metrics = await s.Client.GetStringAsync("/metrics");
        // The meter is process-wide: read the gauge of this server's model only.
        var gauge = new Regex($@"^rerankkit_queue_pairs\{{[^}}]*model=""{Regex.Escape(s.Reranker.ModelName)}""[^}}]*\}} (\d+)", RegexOptions.Multiline);
        return int.Parse(gauge.Match(metrics).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitForQueueAsync(TestServer s, int pairs)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await QueuedPairsAsync(s) != pairs)
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"the queue never reached {pairs} pairs");
            await Task.Delay(10);
        }
    }

    private static async Task<Task<HttpResponseMessage>> OccupyAsync(TestServer s)
    {
        s.Reranker.Holding = true;
        var first = s.PostAsync("/rerank", new { query = "first", texts = new[] { "holds the model" } });
        Assert.True(await s.Reranker.Waiting.WaitAsync(TimeSpan.FromSeconds(10)), "the first request never reached the model");
        return first;
    }

    [Fact]
    public async Task A_full_queue_gives_503_with_retry_after()
    {
        await using var s = await TestServer.StartAsync(new RerankServerOptions { Batching = new BatcherOptions { MaxQueuedPairs = 2 } }, new FakeCrossEncoder("load-full-queue"));
        var first = await OccupyAsync(s);
        var queued = s.PostAsync("/v1/rerank", new { query = "q", documents = new[] { "a", "b" } });
        await WaitForQueueAsync(s, 2);

        var refused = await s.PostAsync("/rerank", new { query = "q", texts = new[] { "c" } });
        var error = await TestServer.JsonAsync(refused, 503);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("overloaded", (string)error["error_type"]!);

        s.Reranker.Holding = false;
        s.Reranker.Release();
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await queued).StatusCode);
    }

    [Fact]
    public async Task Work_of_a_client_that_disconnects_is_dropped()
    {
        await using var s = await TestServer.StartAsync(reranker: new FakeCrossEncoder($"load-{Guid.NewGuid():N}"));
        var first = await OccupyAsync(s);
        using var hangUp = new CancellationTokenSource();
        var abandoned = s.PostAsync("/rerank", new { query = "q", texts = new[] { "never scored a", "never scored b" } }, hangUp.Token);
        await WaitForQueueAsync(s, 2);

        hangUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        await WaitForQueueAsync(s, 0);
        s.Reranker.Holding = false;
        s.Reranker.Release();

        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.PostAsync("/rerank", new { query = "q", texts = new[] { "after" } })).StatusCode);
        Assert.DoesNotContain(s.Reranker.Batches.SelectMany(b => b), p => p.Document.StartsWith("never", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Shutdown_lets_requests_in_flight_finish()
    {
        await using var s = await TestServer.StartAsync(reranker: new FakeCrossEncoder($"load-{Guid.NewGuid():N}"));
        var inFlight = await OccupyAsync(s);

        var stopping = s.Server.StopAsync();
        using var probe = new HttpClient { BaseAddress = s.Server.Address };
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await Refuses(probe) is false)
        {
            Assert.True(DateTime.UtcNow < deadline, "the server kept accepting connections while stopping");
            await Task.Delay(10);
        }
        Assert.False(stopping.IsCompleted);
        s.Reranker.Holding = false;
        s.Reranker.Release();

        var response = await TestServer.JsonAsync(await inFlight);
        Assert.Equal(1f / (1f + MathF.Exp(-FakeCrossEncoder.Logit("first", "holds the model"))), (float)response[0]!["score"]!);
        await stopping;
    }

    private static async Task<bool> Refuses(HttpClient client)
    {
        try
        {
            await client.GetAsync("/health");
            return false;
        }
        catch (HttpRequestException)
        {
            return true;
        }
    }

}
