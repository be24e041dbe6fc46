using Microsoft.Extensions.Logging;
using RerankKit.Batching;

namespace RerankKit.Serving;

/// <summary>Options of <see cref="RerankServer"/>. The defaults suit a single replica on one machine.</summary>
public sealed record RerankServerOptions
{
    /// <summary>Address to listen on: an IP address (127.0.0.1, 0.0.0.0, ::) or a host name.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port to listen on; 0 picks a free one (see <see cref="RerankServer.Address"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Micro-batching of rerank requests.</summary>
    public BatcherOptions Batching { get; init; } = new();

    /// <summary>Scores kept in the in-process LRU cache; 0 turns the cache off.</summary>
    public int ScoreCacheCapacity { get; init; } = 100_000;

    /// <summary><c>host:port</c> (or a StackExchange.Redis configuration string) of a Redis that replicas share
    /// scores through; null keeps the cache in-process only.</summary>
    public string? Redis { get; init; }

    /// <summary>Documents (or embedding inputs) in one request at most; more gives 413.</summary>
    public int MaxDocumentsPerRequest { get; init; } = 1000;

    /// <summary>Characters in one document, query or embedding input at most; more gives 413.</summary>
    public int MaxDocumentChars { get; init; } = 100_000;

    /// <summary>Request body size at most; more gives 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Embedding requests waiting for the model at most; more gives 503 with Retry-After.</summary>
    public int MaxQueuedEmbedRequests { get; init; } = 256;

    /// <summary>How long shutdown waits for requests in flight to finish.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Adds log providers; none by default.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
