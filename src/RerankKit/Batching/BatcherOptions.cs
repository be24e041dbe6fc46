namespace RerankKit.Batching;

/// <summary>Options of <see cref="CrossEncoderBatcher"/>; the names follow Hugging Face TEI's server flags.</summary>
public sealed record BatcherOptions
{
    /// <summary>Tokens (summed over pairs) in one merged batch at most, as TEI's <c>--max-batch-tokens</c>.
    /// A single pair longer than this still runs, alone.</summary>
    public int MaxBatchTokens { get; init; } = 16384;

    /// <summary>How long an idle batcher waits for concurrent requests to join the first one.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Pairs waiting to be scored at most; a request that would exceed it is refused with
    /// <see cref="BatcherOverloadedException"/>. A request arriving at an empty queue is always accepted.</summary>
    public int MaxQueuedPairs { get; init; } = 8192;

    /// <summary>False scores each request on its own, one after the other (no merging with other requests and no
    /// sharing of identical pairs in flight); the score cache still applies.</summary>
    public bool CrossRequestBatching { get; init; } = true;

    /// <summary>Pairs per forward pass (sentence-transformers' <c>batch_size</c>). A merged batch is sorted by
    /// length before it is cut into passes, so each pass pads little.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>True hands the encoder a request's pairs in the order the request gave them instead of sorted by
    /// length: a list reranker behind <see cref="RerankerCrossEncoder"/> depends on it (duoT5's top-k compares the
    /// first k documents, an LLM's sliding window starts from the first stage's order).</summary>
    public bool KeepRequestOrder { get; init; }

    /// <summary>Counts the tokens of a pair for the budget; null estimates from the character count (about four
    /// characters per WordPiece token), capped at <see cref="MaxLength"/>.</summary>
    public Func<string, string, int>? CountTokens { get; init; }

    /// <summary>The model's max_length, the most tokens a pair can cost.</summary>
    public int MaxLength { get; init; } = 512;

    /// <summary>Names the model in score-cache keys; null uses <see cref="ICrossEncoder.CacheIdentity"/>.</summary>
    public string? ModelKey { get; init; }

    /// <summary>How long a request may wait for its scores; past it the request leaves the queue and fails with
    /// <see cref="BatcherTimeoutException"/>. <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a request waits for the score cache to answer before it reads every pair as a miss, so a
    /// slow shared cache (Redis) costs a little latency rather than stalling requests.</summary>
    public TimeSpan CacheReadTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Score-cache writes still running at most; the scores of a batch beyond it are not cached (and a
    /// warning is logged) rather than queued without bound behind a slow cache.</summary>
    public int MaxPendingCacheWrites { get; init; } = 64;
}
