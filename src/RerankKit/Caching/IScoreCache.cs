namespace RerankKit.Caching;

/// <summary>Stores raw cross-encoder scores (logits, activated on the way out so one entry serves every
/// activation) by <see cref="ScoreKey"/>. Implementations are thread-safe;
/// a cache that cannot answer (a replica's Redis is down) reports misses rather than failing the caller.</summary>
public interface IScoreCache
{
    /// <summary>One entry per key, null where the cache has no score.</summary>
    ValueTask<float?[]> GetManyAsync(IReadOnlyList<ScoreKey> keys, CancellationToken cancellationToken = default);

    ValueTask SetManyAsync(IReadOnlyList<KeyValuePair<ScoreKey, float>> entries, CancellationToken cancellationToken = default);
}
