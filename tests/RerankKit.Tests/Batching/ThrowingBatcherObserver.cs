using RerankKit.Batching;

namespace RerankKit.Tests.Batching;

/// <summary>An observer that fails on every call, as a buggy metrics exporter would.</summary>
internal sealed class ThrowingBatcherObserver : IBatcherObserver
{
    public int Calls { get; private set; }

    public void BatchScored(int pairs, int tokens, int requests, TimeSpan elapsed) => Fail();

    public void QueueDepthChanged(int queuedPairs) => Fail();

    public void PairsLookedUp(int cacheHits, int deduplicated, int queued) => Fail();

    private void Fail()
    {
        Calls++;
        throw new InvalidOperationException("the metrics exporter is broken");
    }
}
