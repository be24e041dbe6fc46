using RerankKit.Caching;

namespace RerankKit.Tests.Batching;

/// <summary>A score cache standing in for a slow Redis: reads and writes wait until the test releases them, so a test
/// can show by ordering, not by timing, that a batch does not wait for its cache.</summary>
internal sealed class StalledScoreCache : IScoreCache
{
    private readonly TaskCompletionSource _readsReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _writesReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool StallReads { get; init; }

    public TaskCompletionSource WriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource WriteCompleted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Written { get; private set; }

    public void ReleaseReads() => _readsReleased.TrySetResult();

    public void ReleaseWrites() => _writesReleased.TrySetResult();

    public async ValueTask<float?[]> GetManyAsync(IReadOnlyList<ScoreKey> keys, CancellationToken cancellationToken = default)
    {
        if (StallReads)
            await _readsReleased.Task.WaitAsync(cancellationToken);
        return new float?[keys.Count];
    }

    public async ValueTask SetManyAsync(IReadOnlyList<KeyValuePair<ScoreKey, float>> entries, CancellationToken cancellationToken = default)
    {
        WriteStarted.TrySetResult();
        await _writesReleased.Task.WaitAsync(cancellationToken);
        Written += entries.Count;
        WriteCompleted.TrySetResult();
    }
}
