using System.Net;
using Microsoft.Extensions.AI;

namespace RerankKit.Listwise;

/// <summary>One chat request with a timeout per attempt and retries with exponential backoff for failures that
/// may pass (a timeout, a dropped connection, HTTP 408, 429, 5xx). The caller's cancellation is never retried:
/// it stops the request, or the wait before the next attempt, at once.</summary>
internal sealed class ResilientChat(IChatClient client, LlmRerankerOptions options)
{
    public async Task<(ChatResponse Response, int Retries)> SendAsync(IList<ChatMessage> messages, ChatOptions chatOptions,
        CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            string failure;
            TimeSpan? retryAfter = null;
            using (var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptToken.CancelAfter(options.RequestTimeout);
                try
                {
                    return (await client.GetResponseAsync(messages, chatOptions, attemptToken.Token).ConfigureAwait(false), attempt);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Our timeout, or the client's own (HttpClient.Timeout): either way the server took too long.
                    failure = $"no answer within {options.RequestTimeout.TotalSeconds:0.###} s";
                }
                catch (HttpRequestException e) when (IsTransient(e))
                {
                    failure = e.Message;
                    retryAfter = (e as ChatEndpointException)?.RetryAfter;
                }
                catch (Exception e) when (e is HttpRequestException or InvalidDataException)
                {
                    throw new LlmRerankException(e.Message, e);
                }
            }
            if (attempt == options.MaxRetries)
                throw new LlmRerankException($"the chat endpoint failed {attempt + 1} time(s), giving up: {failure}");
            await Task.Delay(Backoff(attempt, retryAfter), cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsTransient(HttpRequestException e) => e.StatusCode switch
    {
        null => true,
        HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => true,
        var status => (int)status >= 500,
    };

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var wait = retryAfter ?? options.RetryDelay * Math.Pow(2, Math.Min(attempt, 30));
        return wait < options.MaxRetryDelay ? wait : options.MaxRetryDelay;
    }
}
