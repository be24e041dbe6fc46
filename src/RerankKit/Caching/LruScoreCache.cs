namespace RerankKit.Caching;

/// <summary>An in-process score cache that keeps the <see cref="Capacity"/> most recently used entries.</summary>
/// <remarks>Hand-written because MemoryCache evicts by periodic bulk compaction rather than per entry in
/// recency order, which makes its size bound and hit pattern hard to reason about.</remarks>
public sealed class LruScoreCache : IScoreCache
{
    private readonly Dictionary<ScoreKey, LinkedListNode<KeyValuePair<ScoreKey, float>>> _index;
    private readonly LinkedList<KeyValuePair<ScoreKey, float>> _recency = new();
    private readonly Lock _gate = new();

    public LruScoreCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _index = new Dictionary<ScoreKey, LinkedListNode<KeyValuePair<ScoreKey, float>>>(Math.Min(capacity, 1 << 16));
    }

    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_gate)
                return _index.Count;
        }
    }

    public bool TryGet(ScoreKey key, out float score)
    {
        lock (_gate)
        {
            if (_index.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                score = node.Value.Value;
                return true;
            }
        }
        score = 0;
        return false;
    }

    public void Set(ScoreKey key, float score)
    {
        lock (_gate)
        {
            if (_index.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                node.Value = new(key, score);
                _recency.AddFirst(node);
                return;
            }
            if (_index.Count == Capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _index.Remove(oldest.Value.Key);
            }
            _index[key] = _recency.AddFirst(new KeyValuePair<ScoreKey, float>(key, score));
        }
    }

    public ValueTask<float?[]> GetManyAsync(IReadOnlyList<ScoreKey> keys, CancellationToken cancellationToken = default)
    {
        var scores = new float?[keys.Count];
        for (int i = 0; i < keys.Count; i++)
            scores[i] = TryGet(keys[i], out float score) ? score : null;
        return ValueTask.FromResult(scores);
    }

    public ValueTask SetManyAsync(IReadOnlyList<KeyValuePair<ScoreKey, float>> entries, CancellationToken cancellationToken = default)
    {
        foreach (var entry in entries)
            Set(entry.Key, entry.Value);
        return ValueTask.CompletedTask;
    }
}
