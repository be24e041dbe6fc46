using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RerankKit.Diagnostics;

/// <summary>RerankKit's metrics and traces. Subscribe to the meter and the activity source named
/// <see cref="Name"/> (OpenTelemetry: <c>AddMeter("RerankKit")</c>, <c>AddSource("RerankKit")</c>); the
/// instrument names are listed in docs/serving.md.</summary>
public static class RerankKitTelemetry
{
    public const string Name = "RerankKit";

    public static readonly Meter Meter = new(Name, typeof(RerankKitTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly ActivitySource ActivitySource = new(Name, typeof(RerankKitTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Requests = Meter.CreateCounter<long>("rerankkit.requests", "{request}",
        "HTTP requests by endpoint and status code.");

    internal static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>("rerankkit.request.duration", "s",
        "HTTP request latency by endpoint.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Exponential(0.001, 2, 16) });

    internal static readonly Counter<long> Pairs = Meter.CreateCounter<long>("rerankkit.pairs", "{pair}",
        "Pairs a cross-encoder ran through its model, by model.");

    internal static readonly Counter<long> Texts = Meter.CreateCounter<long>("rerankkit.texts", "{text}",
        "Texts a bi-encoder ran through its model, by model.");

    internal static readonly Histogram<int> BatchPairs = Meter.CreateHistogram<int>("rerankkit.batch.pairs", "{pair}",
        "Pairs per model batch of the micro-batcher.", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = ExponentialInt(1, 13) });

    internal static readonly Histogram<int> BatchTokens = Meter.CreateHistogram<int>("rerankkit.batch.tokens", "{token}",
        "Tokens per model batch of the micro-batcher.", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = ExponentialInt(16, 13) });

    internal static readonly Histogram<int> BatchRequests = Meter.CreateHistogram<int>("rerankkit.batch.requests", "{request}",
        "Requests merged into one model batch.", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = ExponentialInt(1, 9) });

    internal static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>("rerankkit.batch.duration", "s",
        "Model time per batch.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Exponential(0.001, 2, 16) });

    internal static readonly Gauge<int> QueuedPairs = Meter.CreateGauge<int>("rerankkit.queue.pairs", "{pair}",
        "Pairs waiting for a batch.");

    internal static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("rerankkit.cache.hits", "{pair}",
        "Pairs answered by the score cache.");

    internal static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>("rerankkit.cache.misses", "{pair}",
        "Pairs the score cache did not have.");

    internal static readonly Counter<long> DeduplicatedPairs = Meter.CreateCounter<long>("rerankkit.deduplicated_pairs", "{pair}",
        "Pairs scored once for several occurrences (repeats within a request or identical pairs in flight).");

    /// <summary>Records one finished HTTP request of a host (RerankKit.AspNetCore calls it for its endpoints).</summary>
    public static void RecordRequest(string endpoint, int statusCode, TimeSpan elapsed)
    {
        var tags = new TagList { { "endpoint", endpoint }, { "status", statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        Requests.Add(1, tags);
        RequestDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("endpoint", endpoint));
    }

    private static double[] Exponential(double start, double factor, int count) =>
        Enumerable.Range(0, count).Select(i => start * Math.Pow(factor, i)).ToArray();

    private static int[] ExponentialInt(int start, int count) =>
        Enumerable.Range(0, count).Select(i => start << i).ToArray();
}
