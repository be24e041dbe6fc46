using RerankKit.Batching;

namespace RerankKit.Serving;

/// <summary>What <c>MapRerankKit</c> serves and its limits. The defaults suit a single replica on one machine.</summary>
public record RerankKitEndpointOptions
{
    /// <summary>The registered cross-encoder behind <c>/rerank</c> and <c>/v1/rerank</c>; null is the first one
    /// registered.</summary>
    public string? CrossEncoder { get; set; }

    /// <summary>The registered bi-encoder behind <c>/embed</c> and <c>/v1/embeddings</c>; null is the first one
    /// registered.</summary>
    public string? BiEncoder { get; set; }

    /// <summary>Micro-batching of rerank requests.</summary>
    public BatcherOptions Batching { get; set; } = new();

    /// <summary>Scores kept in the in-process LRU cache; 0 turns it off. An <see cref="Caching.IScoreCache"/>
    /// registered in the services (such as RerankKit.Redis's) is consulted after it.</summary>
    public int ScoreCacheCapacity { get; set; } = 100_000;

    /// <summary>Documents (or embedding inputs) in one request at most; more gives 413.</summary>
    public int MaxDocumentsPerRequest { get; set; } = 1000;

    /// <summary>Characters in one document, query or embedding input at most; more gives 413.</summary>
    public int MaxDocumentChars { get; set; } = 100_000;

    /// <summary>Request body size at most; more gives 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Embedding requests waiting for the model at most; more gives 503 with Retry-After.</summary>
    public int MaxQueuedEmbedRequests { get; set; } = 256;
}
