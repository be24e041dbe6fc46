namespace RerankKit.Batching;

/// <summary>Receives what a <see cref="CrossEncoderBatcher"/> does, for metrics. Called from the batcher's
/// threads; implementations must be quick and thread-safe.</summary>
public interface IBatcherObserver
{
    void BatchScored(int pairs, int tokens, int requests, TimeSpan elapsed);

    void QueueDepthChanged(int queuedPairs);

    /// <summary>Per request: pairs answered by the cache, pairs joined to identical pairs already queued or
    /// repeated within the request, and pairs newly queued.</summary>
    void PairsLookedUp(int cacheHits, int deduplicated, int queued);
}
