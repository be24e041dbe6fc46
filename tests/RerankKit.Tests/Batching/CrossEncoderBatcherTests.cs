using RerankKit.Batching;
using RerankKit.Caching;

namespace RerankKit.Tests.Batching;

public sealed class CrossEncoderBatcherTests
{
    private static (string, string)[] Pairs(string query, params string[] documents) => documents.Select(d => (query, d)).ToArray();

    private static float[] Expected((string Query, string Document)[] pairs) => pairs.Select(p => FakeCrossEncoder.Logit(p.Query, p.Document)).ToArray();

    /// <summary>Holds the worker on a first one-pair request so that what follows queues up behind it.</summary>
    private static async Task<Task<float[]>> OccupyAsync(CrossEncoderBatcher batcher, FakeCrossEncoder encoder)
    {
        encoder.Holding = true;
        var first = batcher.ScoreAsync(Pairs("first", "occupies the worker"));
        Assert.True(await encoder.Waiting.WaitAsync(TimeSpan.FromSeconds(10)), "the first batch never reached the model");
        return first;
    }

    [Fact]
    public async Task Requests_that_queue_together_are_scored_in_one_batch_with_their_own_scores()
    {
        using var encoder = new FakeCrossEncoder();
        await using var batcher = new CrossEncoderBatcher(encoder);
        var first = await OccupyAsync(batcher, encoder);
        var requests = new[]
        {
            Pairs("red apple", "an apple that is red", "a green pear"),
            Pairs("blue sky", "the sky is blue today"),
            Pairs("fast car", "a slow car", "a fast red car", "nothing here"),
        };
        var tasks = requests.Select(r => batcher.ScoreAsync(r)).ToArray();
        await Eventually.HoldsAsync(() => batcher.QueuedPairs == 6, "six pairs are queued");
        encoder.Holding = false;
        encoder.Release();

        await first;
        for (int i = 0; i < requests.Length; i++)
            Assert.Equal(Expected(requests[i]), await tasks[i]);
        Assert.Equal([1, 6], encoder.Batches.Select(b => b.Length));
    }

    [Fact]
    public async Task Identical_pairs_within_and_across_requests_are_scored_once()
    {
        using var encoder = new FakeCrossEncoder();
        await using var batcher = new CrossEncoderBatcher(encoder);
        var first = await OccupyAsync(batcher, encoder);
        var a = Pairs("q", "shared doc", "shared doc", "only a");
        var b = Pairs("q", "only b", "shared doc");
        var taskA = batcher.ScoreAsync(a);
        var taskB = batcher.ScoreAsync(b);
        await Eventually.HoldsAsync(() => batcher.QueuedPairs == 3, "three distinct pairs are queued");
        encoder.Holding = false;
        encoder.Release();

        await first;
        Assert.Equal(Expected(a), await taskA);
        Assert.Equal(Expected(b), await taskB);
        var second = Assert.Single(encoder.Batches.Skip(1));
        Assert.Equal(["only a", "only b", "shared doc"], second.Select(p => p.Document).Order());
    }

    [Fact]
    public async Task A_batch_never_exceeds_the_token_budget()
    {
        using var encoder = new FakeCrossEncoder();
        var options = new BatcherOptions { CountTokens = (_, _) => 10, MaxBatchTokens = 25 };
        await using var batcher = new CrossEncoderBatcher(encoder, options);
        var first = await OccupyAsync(batcher, encoder);
        var pairs = Pairs("q", "d1", "d2", "d3", "d4", "d5");
        var task = batcher.ScoreAsync(pairs);
        await Eventually.HoldsAsync(() => batcher.QueuedPairs == 5, "five pairs are queued");
        encoder.Holding = false;
        encoder.Release();

        await first;
        Assert.Equal(Expected(pairs), await task);
        Assert.Equal([1, 2, 2, 1], encoder.Batches.Select(b => b.Length));
    }

    [Fact]
    public async Task Without_cross_request_batching_each_request_is_a_batch_of_its_own()
    {
        using var encoder = new FakeCrossEncoder();
        await using var batcher = new CrossEncoderBatcher(encoder, new BatcherOptions { CrossRequestBatching = false });
        var first = await OccupyAsync(batcher, encoder);
        var a = Pairs("q", "shared", "a");
        var b = Pairs("q", "shared", "b", "b2");
        var taskA = batcher.ScoreAsync(a);
        await Eventually.HoldsAsync(() => batcher.QueuedPairs == 2, "a is queued");
        var taskB = batcher.ScoreAsync(b);
        await Eventually.HoldsAsync(() => batcher.QueuedPairs == 5, "b is queued");
        encoder.Holding = false;
        encoder.Release();

        await first;
        Assert.Equal(Expected(a), await taskA);
        Assert.Equal(Expected(b), await taskB);
        Assert.Equal([1, 2, 3], encoder.Batches.Select(x => x.Length));
    }

    [Fact]
    public async Task The_cache_answers_pairs_scored_before()
    {
        using var encoder = new FakeCrossEncoder();
        var cache = new LruScoreCache(100);
        await using var batcher = new CrossEncoderBatcher(encoder, cache: cache);
        var pairs = Pairs("green tea", "tea that is green", "coffee");
        var scores = await batcher.ScoreAsync(pairs);
        var again = await batcher.ScoreAsync(pairs.Append(("green tea", "new doc")).ToArray());

        Assert.Equal(Expected(pairs), scores);
        Assert.Equal(Expected([.. pairs, ("green tea", "new doc")]), again);
        Assert.Equal([2, 1], encoder.Batches.Select(b => b.Length));
        Assert.True(cache.TryGet(ScoreKey.For("fake-reranker", "green tea", "coffee"), out float cached));
        Assert.Equal(FakeCrossEncoder.Logit("green tea", "coffee"), cached);
    }

    [Fact]
    public async Task A_cancelled_request_leaves_the_queue_and_its_pairs_are_never_scored()
    {
        using var encoder = new FakeCrossEncoder();
        await using var batcher = new CrossEncoderBatcher(encoder);
        var first = await OccupyAsync(batcher, encoder);
        using var cancel = new CancellationTokenSource();
        var abandoned = batcher.ScoreAsync(Pairs("q", "never scored 1", "never scored 2"), cancel.Token);
        await Eventually.HoldsAsync(() => batcher.QueuedPairs == 2, "two pairs are queued");
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(0, batcher.QueuedPairs);
        encoder.Holding = false;
        encoder.Release();
        await first;
        Assert.Equal(Expected(Pairs("q", "later")), await batcher.ScoreAsync(Pairs("q", "later")));
        Assert.DoesNotContain(encoder.Batches.SelectMany(b => b), p => p.Document.StartsWith("never", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_running_batch_whose_callers_all_left_is_cancelled()
    {
        using var encoder = new FakeCrossEncoder { Holding = true };
        await using var batcher = new CrossEncoderBatcher(encoder);
        using var cancel = new CancellationTokenSource();
        var abandoned = batcher.ScoreAsync(Pairs("q", "running"), cancel.Token);
        Assert.True(await encoder.Waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        encoder.Holding = false;
        Assert.Equal(Expected(Pairs("q", "next")), await batcher.ScoreAsync(Pairs("q", "next")));
        Assert.Equal(["next"], encoder.Batches.SelectMany(b => b).Select(p => p.Document));
    }

    [Fact]
    public async Task A_full_queue_refuses_new_pairs()
    {
        using var encoder = new FakeCrossEncoder();
        await using var batcher = new CrossEncoderBatcher(encoder, new BatcherOptions { MaxQueuedPairs = 3 });
        var first = await OccupyAsync(batcher, encoder);
        var accepted = batcher.ScoreAsync(Pairs("q", "a", "b", "c"));
        await Eventually.HoldsAsync(() => batcher.QueuedPairs == 3, "three pairs are queued");

        var refused = await Assert.ThrowsAsync<BatcherOverloadedException>(() => batcher.ScoreAsync(Pairs("q", "d")));
        Assert.Equal(3, refused.Queued);
        Assert.True(refused.RetryAfter >= TimeSpan.FromSeconds(1));
        encoder.Holding = false;
        encoder.Release();
        await first;
        Assert.Equal(Expected(Pairs("q", "a", "b", "c")), await accepted);
    }

    [Fact]
    public async Task Disposing_finishes_queued_requests_and_refuses_new_ones()
    {
        using var encoder = new FakeCrossEncoder();
        var batcher = new CrossEncoderBatcher(encoder);
        var first = await OccupyAsync(batcher, encoder);
        var queued = batcher.ScoreAsync(Pairs("q", "queued before shutdown"));
        await Eventually.HoldsAsync(() => batcher.QueuedPairs == 1, "one pair is queued");
        var disposing = batcher.DisposeAsync().AsTask();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.ScoreAsync(Pairs("q", "too late")));
        encoder.Holding = false;
        encoder.Release();

        await disposing;
        Assert.Equal(Expected(Pairs("first", "occupies the worker")), await first);
        Assert.Equal(Expected(Pairs("q", "queued before shutdown")), await queued);
    }

    [Fact]
    public async Task An_empty_request_gives_an_empty_result_without_the_model()
    {
        using var encoder = new FakeCrossEncoder();
        await using var batcher = new CrossEncoderBatcher(encoder);
        Assert.Empty(await batcher.ScoreAsync([]));
        Assert.Empty(encoder.Batches);
    }
}
