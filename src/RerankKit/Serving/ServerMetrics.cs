using Prometheus;
using RerankKit.Batching;

namespace RerankKit.Serving;

/// <summary>The Prometheus metrics of one server, in its own registry so that servers in one process do not mix.</summary>
internal sealed class ServerMetrics : IBatcherObserver
{
    private readonly Counter _requests;
    private readonly Histogram _requestSeconds;
    private readonly Histogram _batchPairs;
    private readonly Histogram _batchTokens;
    private readonly Histogram _batchRequests;
    private readonly Histogram _batchSeconds;
    private readonly Gauge _queuedPairs;
    private readonly Counter _cacheHits;
    private readonly Counter _cacheMisses;
    private readonly Counter _deduplicated;

    public ServerMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _requests = factory.CreateCounter("rerankkit_requests_total", "HTTP requests by endpoint and status code.", "endpoint", "status");
        _requestSeconds = factory.CreateHistogram("rerankkit_request_duration_seconds", "HTTP request latency by endpoint.",
            new HistogramConfiguration { LabelNames = ["endpoint"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        _batchPairs = factory.CreateHistogram("rerankkit_batch_pairs", "Pairs per model batch.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 13) });
        _batchTokens = factory.CreateHistogram("rerankkit_batch_tokens", "Tokens per model batch.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(16, 2, 13) });
        _batchRequests = factory.CreateHistogram("rerankkit_batch_requests", "Requests merged into one model batch.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 9) });
        _batchSeconds = factory.CreateHistogram("rerankkit_batch_duration_seconds", "Model time per batch.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        _queuedPairs = factory.CreateGauge("rerankkit_queue_pairs", "Pairs waiting for a batch.");
        _cacheHits = factory.CreateCounter("rerankkit_cache_hits_total", "Pairs answered by the score cache.");
        _cacheMisses = factory.CreateCounter("rerankkit_cache_misses_total", "Pairs the score cache did not have.");
        _deduplicated = factory.CreateCounter("rerankkit_deduplicated_pairs_total",
            "Pairs scored once for several occurrences (repeats within a request or identical pairs in flight).");
    }

    public CollectorRegistry Registry { get; }

    public void RequestFinished(string endpoint, int status, TimeSpan elapsed)
    {
        _requests.WithLabels(endpoint, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        _requestSeconds.WithLabels(endpoint).Observe(elapsed.TotalSeconds);
    }

    public void BatchScored(int pairs, int tokens, int requests, TimeSpan elapsed)
    {
        _batchPairs.Observe(pairs);
        _batchTokens.Observe(tokens);
        _batchRequests.Observe(requests);
        _batchSeconds.Observe(elapsed.TotalSeconds);
    }

    public void QueueDepthChanged(int queuedPairs) => _queuedPairs.Set(queuedPairs);

    public void PairsLookedUp(int cacheHits, int deduplicated, int queued)
    {
        _cacheHits.Inc(cacheHits);
        _cacheMisses.Inc(deduplicated + queued);
        _deduplicated.Inc(deduplicated);
    }
}
