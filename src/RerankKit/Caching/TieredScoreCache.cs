namespace RerankKit.Caching;

/// <summary>Looks in a fast near cache (in-process LRU) first and in a shared far cache (Redis) for the rest;
/// far hits are copied into the near cache and writes go to both.</summary>
public sealed class TieredScoreCache(IScoreCache near, IScoreCache far) : IScoreCache
{
    public async ValueTask<float?[]> GetManyAsync(IReadOnlyList<ScoreKey> keys, CancellationToken cancellationToken = default)
    {
        var scores = await near.GetManyAsync(keys, cancellationToken).ConfigureAwait(false);
        var missing = Enumerable.Range(0, keys.Count).Where(i => scores[i] is null).ToArray();
        if (missing.Length == 0)
            return scores;
        var farScores = await far.GetManyAsync(missing.Select(i => keys[i]).ToArray(), cancellationToken).ConfigureAwait(false);
        var found = new List<KeyValuePair<ScoreKey, float>>();
        for (int j = 0; j < missing.Length; j++)
        {
            if (farScores[j] is not { } score)
                continue;
            scores[missing[j]] = score;
            found.Add(new(keys[missing[j]], score));
        }
        await near.SetManyAsync(found, cancellationToken).ConfigureAwait(false);
        return scores;
    }

    public async ValueTask SetManyAsync(IReadOnlyList<KeyValuePair<ScoreKey, float>> entries, CancellationToken cancellationToken = default)
    {
        await near.SetManyAsync(entries, cancellationToken).ConfigureAwait(false);
        await far.SetManyAsync(entries, cancellationToken).ConfigureAwait(false);
    }
}
