using RerankKit.Batching;

namespace RerankKit.Diagnostics;

/// <summary>Records one micro-batcher's events on <see cref="RerankKitTelemetry.Meter"/>, tagged with its model so
/// that several batchers in one process keep apart.</summary>
public sealed class TelemetryBatcherObserver(string model) : IBatcherObserver
{
    private readonly KeyValuePair<string, object?> _model = new("model", model);

    public void BatchScored(int pairs, int tokens, int requests, TimeSpan elapsed)
    {
        RerankKitTelemetry.BatchPairs.Record(pairs, _model);
        RerankKitTelemetry.BatchTokens.Record(tokens, _model);
        RerankKitTelemetry.BatchRequests.Record(requests, _model);
        RerankKitTelemetry.BatchDuration.Record(elapsed.TotalSeconds, _model);
    }

    public void QueueDepthChanged(int queuedPairs) => RerankKitTelemetry.QueuedPairs.Record(queuedPairs, _model);

    public void PairsLookedUp(int cacheHits, int deduplicated, int queued)
    {
        RerankKitTelemetry.CacheHits.Add(cacheHits, _model);
        RerankKitTelemetry.CacheMisses.Add(deduplicated + queued, _model);
        RerankKitTelemetry.DeduplicatedPairs.Add(deduplicated, _model);
    }
}
