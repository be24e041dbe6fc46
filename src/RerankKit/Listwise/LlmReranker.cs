using Microsoft.Extensions.AI;

namespace RerankKit.Listwise;

/// <summary>Listwise reranking by a chat model, as RankGPT does it: the model is shown a window of numbered
/// passages and asked for their order (<c>[2] &gt; [1] &gt; ...</c>); windows slide from the back of the list to
/// the front (<see cref="SlidingWindows"/>), each reordering its part of the running list, so the best documents
/// rise to the top. Works over any <see cref="IChatClient"/> (<see cref="ForEndpoint"/> makes one for an
/// OpenAI-compatible server). Every answer is repaired into a permutation (<see cref="PermutationParser"/>), so
/// no document is ever lost or repeated; each request has a timeout and retries (<see cref="LlmRerankerOptions"/>).
/// Thread-safe: rankings of different queries may run at once.</summary>
public sealed class LlmReranker : IReranker
{
    /// <summary>The <see cref="IReranker.ScoreKind"/>: the score is the reciprocal rank in the LLM's order.</summary>
    public const string ListwiseScoreKind = "llm-listwise";

    private readonly IChatClient _client;
    private readonly ResilientChat _chat;
    private readonly object _totalLock = new();
    private LlmUsage _total = LlmUsage.None;

    /// <param name="client">The chat model; disposed with this reranker.</param>
    public LlmReranker(IChatClient client, LlmRerankerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        Options = options ?? new LlmRerankerOptions();
        Options.Validate();
        _client = client;
        _chat = new ResilientChat(client, Options);
        ModelName = Options.ModelId ?? client.GetService<ChatClientMetadata>()?.DefaultModelId ?? "llm";
    }

    /// <summary>A reranker over an OpenAI-compatible chat completions server (see <see cref="OpenAICompatibleChatClient"/>).</summary>
    public static LlmReranker ForEndpoint(Uri endpoint, string model, string? apiKey = null, LlmRerankerOptions? options = null) =>
        new(new OpenAICompatibleChatClient(endpoint, model, apiKey), options);

    public LlmRerankerOptions Options { get; }

    /// <summary>The model name sent with requests, or the client's default model.</summary>
    public string ModelName { get; }

    public string ScoreKind => ListwiseScoreKind;

    /// <summary>The usage of every ranking this reranker has done, summed.</summary>
    public LlmUsage TotalUsage
    {
        get { lock (_totalLock) return _total; }
    }

    /// <summary>The documents best first (each exactly once, <paramref name="topK"/> cutting the list), with the
    /// requests, retries, tokens and cost it took. Documents are taken in the order given, which should be the
    /// first stage's ranking: the first windows sent are its tail.</summary>
    public async Task<LlmRerankResult> RerankAsync(string query, IReadOnlyList<string> documents, int? topK = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(documents);
        if (topK is < 0)
            throw new ArgumentException($"top_k must not be negative, not {topK}");
        var order = Enumerable.Range(0, documents.Count).ToArray();
        var usage = LlmUsage.None;
        var chatOptions = new ChatOptions { ModelId = Options.ModelId, Temperature = Options.Temperature };
        // A single document needs no model; a window of one is skipped for the same reason.
        foreach (var (start, end) in SlidingWindows.Plan(documents.Count, Options.WindowSize, Options.Step).Where(w => w.End - w.Start > 1))
            usage = usage.Add(await RankWindowAsync(query, documents, order, start, end, chatOptions, cancellationToken).ConfigureAwait(false));
        lock (_totalLock)
            _total = _total.Add(usage);
        var ranking = order.Select((index, position) => new RankedDocument(index, 1f / (position + 1), documents[index]));
        return new LlmRerankResult((topK is { } k ? ranking.Take(k) : ranking).ToList(), usage);
    }

    /// <summary>The documents best first, without the usage (it is added to <see cref="TotalUsage"/>).</summary>
    public async Task<IReadOnlyList<RankedDocument>> RankAsync(string query, IReadOnlyList<string> documents, int? topK = null,
        CancellationToken cancellationToken = default) =>
        (await RerankAsync(query, documents, topK, cancellationToken).ConfigureAwait(false)).Ranking;

    private async Task<LlmUsage> RankWindowAsync(string query, IReadOnlyList<string> documents, int[] order, int start, int end,
        ChatOptions chatOptions, CancellationToken cancellationToken)
    {
        var window = order[start..end];
        var messages = PermutationPrompt.Build(query, window.Select(i => documents[i]).ToArray(), Options.MaxPassageWords);
        var (response, retries) = await _chat.SendAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false);
        var permutation = PermutationParser.Parse(response.Text, window.Length);
        for (int j = 0; j < window.Length; j++)
            order[start + j] = window[permutation.Order[j]];
        long prompt = response.Usage?.InputTokenCount ?? 0, completion = response.Usage?.OutputTokenCount ?? 0;
        return new LlmUsage
        {
            Windows = 1,
            Retries = retries,
            RepairedWindows = permutation.Repaired ? 1 : 0,
            ResponsesWithoutUsage = response.Usage?.InputTokenCount is null || response.Usage?.OutputTokenCount is null ? 1 : 0,
            PromptTokens = prompt,
            CompletionTokens = completion,
            Cost = Cost(prompt, completion),
        };
    }

    private decimal? Cost(long prompt, long completion) =>
        Options.PromptCostPer1K is null && Options.CompletionCostPer1K is null
            ? null
            : prompt / 1000m * (Options.PromptCostPer1K ?? 0) + completion / 1000m * (Options.CompletionCostPer1K ?? 0);

    /// <summary>The reciprocal rank is already in (0, 1] and is the only score a listwise order gives: kept as it is.</summary>
    public float[] RelevanceScores(string query, IReadOnlyList<float> scores) => scores.ToArray();

    public void Dispose() => _client.Dispose();
}
