using RerankKit.Batching;
using RerankKit.Caching;

namespace RerankKit.Tests.Batching;

/// <summary>The batcher's worker survives failures of the model, of its observer and of its cache, and no caller
/// waits forever.</summary>
public sealed class BatcherResilienceTests
{
    // A liveness guard, not a timing assertion: without it a regression would hang the run instead of failing.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);

    private static (string, string)[] Pairs(string query, params string[] documents) => documents.Select(d => (query, d)).ToArray();

    private static float[] Expected((string Query, string Document)[] pairs) => pairs.Select(p => FakeCrossEncoder.Logit(p.Query, p.Document)).ToArray();

    [Fact]
    public async Task A_throwing_observer_neither_fails_requests_nor_stops_the_worker()
    {
        using var encoder = new FakeCrossEncoder();
        var observer = new ThrowingBatcherObserver();
        await using var batcher = new CrossEncoderBatcher(encoder, observer: observer);
        var first = Pairs("red car", "a red car", "a blue bike");
        var second = Pairs("blue sky", "the sky is blue");

        Assert.Equal(Expected(first), await batcher.ScoreAsync(first).WaitAsync(Hang));
        Assert.Equal(Expected(second), await batcher.ScoreAsync(second).WaitAsync(Hang));
        Assert.True(observer.Calls > 0);
    }

    [Fact]
    public async Task A_throwing_encoder_fails_its_callers_and_the_next_request_is_scored()
    {
        using var encoder = new ThrowingCrossEncoder(failures: 1);
        await using var batcher = new CrossEncoderBatcher(encoder);
        var pairs = Pairs("red car", "a red car");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.ScoreAsync(pairs).WaitAsync(Hang));
        Assert.Equal("the model failed", error.Message);
        Assert.Equal(Expected(pairs), await batcher.ScoreAsync(pairs).WaitAsync(Hang));
    }

    [Fact]
    public async Task A_request_not_scored_within_its_deadline_fails_with_a_timeout_and_leaves_the_queue()
    {
        using var encoder = new FakeCrossEncoder { Holding = true };
        await using var batcher = new CrossEncoderBatcher(encoder, new BatcherOptions { RequestTimeout = TimeSpan.FromMilliseconds(50) });

        try
        {
            var running = batcher.ScoreAsync(Pairs("q", "held by the model"));
            var queued = batcher.ScoreAsync(Pairs("q", "waits behind it"));

            var timeout = await Assert.ThrowsAsync<BatcherTimeoutException>(() => queued.WaitAsync(Hang));
            Assert.True(timeout.RetryAfter >= TimeSpan.FromSeconds(1));
            await Assert.ThrowsAsync<BatcherTimeoutException>(() => running.WaitAsync(Hang));
            Assert.Equal(0, batcher.QueuedPairs);
        }
        finally
        {
            // Lets the held batch end so that disposing the batcher does not wait for it.
            encoder.Holding = false;
            encoder.Release();
        }
    }

    [Fact]
    public async Task Scores_come_back_before_a_slow_cache_write_completes()
    {
        using var encoder = new FakeCrossEncoder();
        var cache = new StalledScoreCache();
        var pairs = Pairs("red car", "a red car", "a blue bike");
        var batcher = new CrossEncoderBatcher(encoder, cache: cache);

        Assert.Equal(Expected(pairs), await batcher.ScoreAsync(pairs).WaitAsync(Hang));
        await cache.WriteStarted.Task.WaitAsync(Hang);
        Assert.False(cache.WriteCompleted.Task.IsCompleted);

        cache.ReleaseWrites();
        await batcher.DisposeAsync().AsTask().WaitAsync(Hang);
        Assert.True(cache.WriteCompleted.Task.IsCompleted, "disposing waits for writes behind");
        Assert.Equal(2, cache.Written);
    }

    [Fact]
    public async Task A_cache_that_does_not_answer_reads_as_misses()
    {
        using var encoder = new FakeCrossEncoder();
        var cache = new StalledScoreCache { StallReads = true };
        cache.ReleaseWrites();
        await using var batcher = new CrossEncoderBatcher(encoder, new BatcherOptions { CacheReadTimeout = TimeSpan.FromMilliseconds(20) }, cache);
        var pairs = Pairs("red car", "a red car");

        Assert.Equal(Expected(pairs), await batcher.ScoreAsync(pairs).WaitAsync(Hang));
        cache.ReleaseReads();
    }

    [Fact]
    public void The_default_request_deadline_is_thirty_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), new BatcherOptions().RequestTimeout);
    }
}
