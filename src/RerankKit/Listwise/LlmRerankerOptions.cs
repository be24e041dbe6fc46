namespace RerankKit.Listwise;

/// <summary>Options of <see cref="LlmReranker"/>. The defaults are RankGPT's: windows of 20 passages moved by 10,
/// passages cut to 300 words, temperature 0.</summary>
public sealed record LlmRerankerOptions
{
    /// <summary>Passages per request.</summary>
    public int WindowSize { get; init; } = 20;

    /// <summary>How far each window moves toward the front; <c>WindowSize - Step</c> passages overlap.</summary>
    public int Step { get; init; } = 10;

    /// <summary>Words kept of each passage (whitespace-separated), so a window fits the model's context.</summary>
    public int MaxPassageWords { get; init; } = 300;

    /// <summary>The model name sent with each request (<c>ChatOptions.ModelId</c>); null leaves it to the client.</summary>
    public string? ModelId { get; init; }

    /// <summary>Sampling temperature; 0 asks for the model's most likely ranking.</summary>
    public float? Temperature { get; init; } = 0f;

    /// <summary>Time one attempt of one request may take before it is abandoned (and retried).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Further attempts after a failed one, for timeouts, connection failures, HTTP 408, 429 and 5xx.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Wait before the first retry; each later one waits twice as long as the one before, up to
    /// <see cref="MaxRetryDelay"/>. A server's <c>Retry-After</c> wins when it sends one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts, a server's <c>Retry-After</c> included.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Price of 1,000 prompt (input) tokens, for <see cref="LlmUsage.Cost"/>; null when unknown.</summary>
    public decimal? PromptCostPer1K { get; init; }

    /// <summary>Price of 1,000 completion (output) tokens, for <see cref="LlmUsage.Cost"/>; null when unknown.</summary>
    public decimal? CompletionCostPer1K { get; init; }

    internal void Validate()
    {
        if (WindowSize < 2)
            throw new ArgumentException($"the LLM window size must be at least 2 (a window of one has nothing to order), not {WindowSize}");
        if (Step < 1 || Step > WindowSize)
            throw new ArgumentException($"the LLM window step must be between 1 and the window size ({WindowSize}), not {Step}");
        if (MaxPassageWords < 1)
            throw new ArgumentException($"the passage length must be at least 1 word, not {MaxPassageWords}");
        if (RequestTimeout <= TimeSpan.Zero && RequestTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentException($"the LLM request timeout must be positive, not {RequestTimeout}");
        if (MaxRetries < 0)
            throw new ArgumentException($"the LLM retries must not be negative, not {MaxRetries}");
        if (RetryDelay < TimeSpan.Zero || MaxRetryDelay < TimeSpan.Zero)
            throw new ArgumentException("the LLM retry delays must not be negative");
        if (PromptCostPer1K < 0 || CompletionCostPer1K < 0)
            throw new ArgumentException("the LLM token prices must not be negative");
    }
}
