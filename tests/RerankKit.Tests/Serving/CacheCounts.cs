using System.Globalization;

namespace RerankKit.Tests.Serving;

/// <summary>A replica's score-cache lookups as its Prometheus <c>/metrics</c> reports them, summed over the label
/// sets (model, otel scope) of <c>rerankkit_cache_hits_total</c> and <c>rerankkit_cache_misses_total</c>.</summary>
internal sealed record CacheCounts(long Hits, long Misses)
{
    public long Lookups => Hits + Misses;

    public double HitRatio => Lookups == 0 ? 0 : (double)Hits / Lookups;

    public static CacheCounts Parse(string prometheusText) =>
        new(Sum(prometheusText, "rerankkit_cache_hits_total"), Sum(prometheusText, "rerankkit_cache_misses_total"));

    public static CacheCounts operator +(CacheCounts a, CacheCounts b) => new(a.Hits + b.Hits, a.Misses + b.Misses);

    public static CacheCounts operator -(CacheCounts a, CacheCounts b) => new(a.Hits - b.Hits, a.Misses - b.Misses);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Hits} hits / {Misses} misses (hit ratio {HitRatio:0.000})");

    private static long Sum(string text, string metric)
    {
        long total = 0;
        foreach (string line in text.Split('\n'))
        {
            // A sample is `name{labels} value [timestamp]` or `name value [timestamp]`; comments and other families
            // start differently.
            if (!line.StartsWith(metric, StringComparison.Ordinal) || line.Length == metric.Length || line[metric.Length] is not ('{' or ' '))
                continue;
            int valueStart = line[metric.Length] == '{' ? line.IndexOf('}', StringComparison.Ordinal) + 1 : metric.Length;
            string rest = line[valueStart..].Trim();
            total += long.Parse(rest.Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture);
        }
        return total;
    }
}
