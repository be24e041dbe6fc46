using RerankKit.Caching;
using RerankKit.Tests.Batching;

namespace RerankKit.Tests.Caching;

public sealed class ScoreCacheTests
{
    [Fact]
    public void Keys_separate_the_three_strings_and_agree_across_calls()
    {
        Assert.Equal(ScoreKey.For("m", "q", "d"), ScoreKey.For("m", "q", "d"));
        Assert.NotEqual(ScoreKey.For("m", "ab", "c"), ScoreKey.For("m", "a", "bc"));
        Assert.NotEqual(ScoreKey.For("m1", "q", "d"), ScoreKey.For("m2", "q", "d"));
        Assert.Equal(32, ScoreKey.For("m", "q", "d").ToString().Length);
    }

    [Fact]
    public void The_lru_cache_evicts_the_least_recently_used_entry()
    {
        var cache = new LruScoreCache(2);
        var (a, b, c) = (ScoreKey.For("m", "q", "a"), ScoreKey.For("m", "q", "b"), ScoreKey.For("m", "q", "c"));
        cache.Set(a, 1);
        cache.Set(b, 2);
        Assert.True(cache.TryGet(a, out _));
        cache.Set(c, 3);

        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet(b, out _));
        Assert.True(cache.TryGet(a, out float scoreA));
        Assert.True(cache.TryGet(c, out float scoreC));
        Assert.Equal((1f, 3f), (scoreA, scoreC));
    }

    [Fact]
    public async Task The_tiered_cache_copies_far_hits_near_and_writes_both()
    {
        var near = new LruScoreCache(10);
        var far = new LruScoreCache(10);
        var key = ScoreKey.For("m", "q", "d");
        far.Set(key, 0.5f);
        var tiered = new TieredScoreCache(near, far);

        Assert.Equal([0.5f, null], await tiered.GetManyAsync([key, ScoreKey.For("m", "q", "other")]));
        Assert.True(near.TryGet(key, out _));
        var written = ScoreKey.For("m", "q", "written");
        await tiered.SetManyAsync([new(written, 2f)]);
        Assert.True(near.TryGet(written, out _) && far.TryGet(written, out _));
    }

    [Fact]
    public void The_caching_cross_encoder_scores_each_pair_once_and_applies_the_activation()
    {
        using var inner = new FakeCrossEncoder();
        using var cached = new CachingCrossEncoder(inner);
        (string, string)[] pairs = [("red car", "a red car"), ("red car", "a blue bike"), ("red car", "a red car")];

        float[] sigmoid = cached.Predict(pairs);
        float[] raw = cached.Predict(pairs, new PredictOptions { ActivationFn = ScoreActivation.Identity });

        Assert.Equal(pairs.Select(p => FakeCrossEncoder.Logit(p.Item1, p.Item2)), raw);
        Assert.Equal(raw.Select(x => 1f / (1f + MathF.Exp(-x))), sigmoid);
        Assert.Equal(2, inner.ScoredPairs);
        var ranked = cached.Rank("red car", ["a blue bike", "a red car"], topK: 1);
        Assert.Equal(1, Assert.Single(ranked).Index);
        Assert.Equal(2, inner.ScoredPairs);
    }
}
