using RerankKit.Batching;

namespace RerankKit.Diagnostics;

/// <summary>Records the micro-batcher's events on <see cref="RerankKitTelemetry.Meter"/>.</summary>
public sealed class TelemetryBatcherObserver : IBatcherObserver
{
    public static TelemetryBatcherObserver Instance { get; } = new();

    private TelemetryBatcherObserver()
    {
    }

    public void BatchScored(int pairs, int tokens, int requests, TimeSpan elapsed)
    {
        RerankKitTelemetry.BatchPairs.Record(pairs);
        RerankKitTelemetry.BatchTokens.Record(tokens);
        RerankKitTelemetry.BatchRequests.Record(requests);
        RerankKitTelemetry.BatchDuration.Record(elapsed.TotalSeconds);
    }

    public void QueueDepthChanged(int queuedPairs) => RerankKitTelemetry.QueuedPairs.Record(queuedPairs);

    public void PairsLookedUp(int cacheHits, int deduplicated, int queued)
    {
        RerankKitTelemetry.CacheHits.Add(cacheHits);
        RerankKitTelemetry.CacheMisses.Add(deduplicated + queued);
        RerankKitTelemetry.DeduplicatedPairs.Add(deduplicated);
    }
}
