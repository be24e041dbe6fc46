using System.Net;

namespace RerankKit.Listwise;

/// <summary>An OpenAI-compatible endpoint answered with an HTTP error. <see cref="RetryAfter"/> carries the
/// server's <c>Retry-After</c> (429 and 503 answers often have one) so a retry waits as long as asked.</summary>
public sealed class ChatEndpointException(string message, HttpStatusCode statusCode, TimeSpan? retryAfter)
    : HttpRequestException(message, null, statusCode)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
