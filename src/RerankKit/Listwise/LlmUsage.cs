namespace RerankKit.Listwise;

/// <summary>What reranking with an LLM cost: requests, tokens as the endpoint reported them in each response's
/// <c>usage</c>, and the price when <see cref="LlmRerankerOptions"/> gives one.</summary>
public sealed record LlmUsage
{
    public static readonly LlmUsage None = new();

    /// <summary>Windows ranked (one successful request each).</summary>
    public int Windows { get; init; }

    /// <summary>Attempts that failed and were retried.</summary>
    public int Retries { get; init; }

    /// <summary>Windows whose answer was not a clean permutation and was repaired (see <see cref="ParsedPermutation"/>).</summary>
    public int RepairedWindows { get; init; }

    /// <summary>Responses without a token count (some servers send no <c>usage</c>): the token sums leave them out.</summary>
    public int ResponsesWithoutUsage { get; init; }

    public long PromptTokens { get; init; }

    public long CompletionTokens { get; init; }

    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>Tokens times the prices per 1,000; null when neither price is set.</summary>
    public decimal? Cost { get; init; }

    /// <summary>The sum of two usages, for totals over many queries.</summary>
    public LlmUsage Add(LlmUsage other) => new()
    {
        Windows = Windows + other.Windows,
        Retries = Retries + other.Retries,
        RepairedWindows = RepairedWindows + other.RepairedWindows,
        ResponsesWithoutUsage = ResponsesWithoutUsage + other.ResponsesWithoutUsage,
        PromptTokens = PromptTokens + other.PromptTokens,
        CompletionTokens = CompletionTokens + other.CompletionTokens,
        Cost = Cost is null && other.Cost is null ? null : (Cost ?? 0) + (other.Cost ?? 0),
    };
}
