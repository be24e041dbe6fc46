using System.Globalization;

namespace RerankKit.Batching;

/// <summary>A request was not scored within <see cref="BatcherOptions.RequestTimeout"/>; it left the queue. Retry
/// after <see cref="RetryAfter"/>.</summary>
public sealed class BatcherTimeoutException(TimeSpan timeout, TimeSpan retryAfter)
    : TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The request was not scored within {timeout.TotalSeconds:0.###} s; retry later."))
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
