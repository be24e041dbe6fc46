using RerankKit.Models;

namespace RerankKit.Caching;

/// <summary>Wraps a cross-encoder so that each distinct (query, document) pair is scored once: repeats within a
/// call and pairs already in <see cref="Cache"/> skip the model. Disposing it disposes the inner encoder.</summary>
/// <example><code>using var reranker = new CachingCrossEncoder(new CrossEncoder("cross-encoder/ms-marco-MiniLM-L6-v2"));</code></example>
public sealed class CachingCrossEncoder : ICrossEncoder
{
    private readonly ICrossEncoder _inner;
    private readonly string _modelKey;

    /// <param name="inner">The encoder whose scores are cached.</param>
    /// <param name="cache">Where scores live; null gives an in-process <see cref="LruScoreCache"/> of 100,000 entries.</param>
    /// <param name="modelKey">Names the model in cache keys; defaults to its <see cref="ICrossEncoder.CacheIdentity"/>,
    /// which already tells apart revisions, ONNX files, engines and max lengths.</param>
    public CachingCrossEncoder(ICrossEncoder inner, IScoreCache? cache = null, string? modelKey = null)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Cache = cache ?? new LruScoreCache(100_000);
        _modelKey = modelKey ?? inner.CacheIdentity;
    }

    public IScoreCache Cache { get; }

    public string ModelName => _inner.ModelName;

    public ScoreActivation DefaultActivation => _inner.DefaultActivation;

    public string CacheIdentity => _inner.CacheIdentity;

    public float[] RelevanceScores(string query, IReadOnlyList<float> logits) => _inner.RelevanceScores(query, logits);

    public float[] Predict(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default) =>
        PredictCoreAsync(pairs, options, runAsync: false, cancellationToken).GetAwaiter().GetResult();

    public Task<float[]> PredictAsync(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default) =>
        PredictCoreAsync(pairs, options, runAsync: true, cancellationToken);

    public void Dispose() => _inner.Dispose();

    private async Task<float[]> PredictCoreAsync(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options, bool runAsync, CancellationToken cancellationToken)
    {
        var activation = options?.ActivationFn ?? _inner.DefaultActivation;
        var unique = new Dictionary<(string, string), int>();
        var keys = new List<ScoreKey>();
        var slot = new int[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
        {
            if (!unique.TryGetValue(pairs[i], out slot[i]))
            {
                slot[i] = unique[pairs[i]] = keys.Count;
                keys.Add(ScoreKey.For(_modelKey, pairs[i].Query, pairs[i].Document));
            }
        }
        var logits = await Cache.GetManyAsync(keys, cancellationToken).ConfigureAwait(false);
        var missing = unique.Where(p => logits[p.Value] is null).ToArray();
        if (missing.Length > 0)
        {
            var missingPairs = missing.Select(p => p.Key).ToArray();
            var rawOptions = (options ?? new PredictOptions()) with { ActivationFn = ScoreActivation.Identity };
            float[] computed = runAsync
                ? await _inner.PredictAsync(missingPairs, rawOptions, cancellationToken).ConfigureAwait(false)
                : _inner.Predict(missingPairs, rawOptions, cancellationToken);
            var entries = new KeyValuePair<ScoreKey, float>[missing.Length];
            for (int j = 0; j < missing.Length; j++)
            {
                logits[missing[j].Value] = computed[j];
                entries[j] = new(keys[missing[j].Value], computed[j]);
            }
            await Cache.SetManyAsync(entries, cancellationToken).ConfigureAwait(false);
        }
        var scores = new float[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
            scores[i] = ActivationRule.Apply(activation, logits[slot[i]]!.Value);
        return scores;
    }
}
