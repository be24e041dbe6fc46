namespace RerankKit.Batching;

/// <summary>A work queue is full; retry after <see cref="RetryAfter"/>.</summary>
public sealed class BatcherOverloadedException(int queued, TimeSpan retryAfter)
    : Exception($"The work queue is full ({queued} waiting); retry later.")
{
    /// <summary>Items (pairs for the batcher) waiting when the request was refused.</summary>
    public int Queued { get; } = queued;

    public TimeSpan RetryAfter { get; } = retryAfter;
}
