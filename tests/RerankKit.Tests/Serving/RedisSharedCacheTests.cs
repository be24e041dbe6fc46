using RerankKit.Caching;
using RerankKit.Serving;
using RerankKit.Tests.Batching;

using RerankKit.Cli.Commands;

namespace RerankKit.Tests.Serving;

/// <summary>Against a real redis-server: two server replicas share scores, and a cache whose Redis is away
/// answers with misses instead of failing.</summary>
public sealed class RedisSharedCacheTests(RedisProcess redis) : IClassFixture<RedisProcess>
{
    [Fact]
    public async Task A_second_replica_answers_from_scores_the_first_one_computed()
    {
        // A generous read bound: on a loaded machine a slow read would be a miss, and the pair scored again.
        var options = new RerankServerOptions { Redis = redis.Endpoint, Batching = new() { CacheReadTimeout = TimeSpan.FromSeconds(30) } };
        await using var first = await TestServer.StartAsync(options, new FakeCrossEncoder("shared-model"));
        await using var second = await TestServer.StartAsync(options, new FakeCrossEncoder("shared-model"));
        string[] texts = ["a red car", "a blue bike", "red red car"];
        using var watcher = await RedisScoreCache.ConnectAsync(redis.Endpoint);

        var fromFirst = await TestServer.JsonAsync(await first.PostAsync("/rerank", new { query = "red car", texts, raw_scores = true }));
        // The first replica writes to Redis behind its answer.
        var keys = texts.Select(t => ScoreKey.For("shared-model", "red car", t)).ToArray();
        await Eventually.HoldsAsync(() => watcher.GetManyAsync(keys).AsTask().Result.All(s => s is not null), "the first replica's scores are in Redis");
        var fromSecond = await TestServer.JsonAsync(await second.PostAsync("/rerank", new { query = "red car", texts = texts.Append("a new car").ToArray(), raw_scores = true }));

        Assert.Equal(3, first.Reranker.ScoredPairs);
        var scoredBySecond = Assert.Single(second.Reranker.Batches);
        Assert.Equal([("red car", "a new car")], scoredBySecond);
        foreach (var result in fromSecond.AsArray())
        {
            int index = (int)result!["index"]!;
            string text = index < 3 ? texts[index] : "a new car";
            Assert.Equal(FakeCrossEncoder.Logit("red car", text), (float)result["score"]!);
        }
        Assert.Equal(3, fromFirst.AsArray().Count);
    }

    [Fact]
    public async Task Scores_round_trip_through_redis_as_float32()
    {
        using var cache = await RedisScoreCache.ConnectAsync(redis.Endpoint, keyPrefix: "roundtrip:");
        var key = ScoreKey.For("m", "q", "d");
        await cache.SetManyAsync([new(key, -3.1415927f)]);

        Assert.Equal([-3.1415927f, null], await cache.GetManyAsync([key, ScoreKey.For("m", "q", "absent")]));
    }

    [Fact]
    public async Task A_cache_whose_redis_is_away_reads_misses()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var cache = await RedisScoreCache.ConnectAsync($"127.0.0.1:{closedPort},connectTimeout=200,asyncTimeout=300");
        var key = ScoreKey.For("m", "q", "d");

        await cache.SetManyAsync([new(key, 1f)]);
        Assert.Equal([null], await cache.GetManyAsync([key]));
    }
}
