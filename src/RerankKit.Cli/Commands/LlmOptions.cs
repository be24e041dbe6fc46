using System.CommandLine;
using System.Globalization;
using RerankKit.Listwise;

namespace RerankKit.Cli.Commands;

/// <summary>The <c>--llm-*</c> options that choose an LLM listwise reranker (RankGPT-style, over an OpenAI-compatible
/// chat endpoint) instead of a model folder, and turning them into an <see cref="LlmReranker"/>. The API key comes
/// from the environment, never the command line (where other users could read it in the process list).</summary>
internal sealed class LlmOptions
{
    /// <summary>Environment variables read for the API key, first set wins.</summary>
    public static readonly string[] ApiKeyVariables = ["RERANKKIT_LLM_API_KEY", "OPENAI_API_KEY"];

    public Option<string?> Endpoint { get; } = new("--llm-endpoint") { Description = "OpenAI-compatible chat API base, e.g. http://localhost:8000/v1 (vLLM), http://localhost:11434/v1 (Ollama); reranks with the LLM, RankGPT-style. API key from RERANKKIT_LLM_API_KEY or OPENAI_API_KEY" };
    public Option<string?> Model { get; } = new("--llm-model") { Description = "The chat model's name at --llm-endpoint" };
    public Option<int> Window { get; } = new("--llm-window") { Description = "Passages per request", DefaultValueFactory = _ => 20 };
    public Option<int> Step { get; } = new("--llm-step") { Description = "How far each window moves toward the front", DefaultValueFactory = _ => 10 };
    public Option<int> MaxWords { get; } = new("--llm-max-words") { Description = "Words kept of each passage", DefaultValueFactory = _ => 300 };
    public Option<double> Timeout { get; } = new("--llm-timeout") { Description = "Seconds one request may take before it is retried", DefaultValueFactory = _ => 60 };
    public Option<int> Retries { get; } = new("--llm-retries") { Description = "Retries after a timeout, connection error, HTTP 408, 429 or 5xx", DefaultValueFactory = _ => 3 };
    public Option<double?> PromptCost { get; } = new("--llm-prompt-cost") { Description = "Price per 1,000 prompt tokens, for the cost in the usage" };
    public Option<double?> CompletionCost { get; } = new("--llm-completion-cost") { Description = "Price per 1,000 completion tokens, for the cost in the usage" };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Endpoint, Model, Window, Step, MaxWords, Timeout, Retries, PromptCost, CompletionCost })
            command.Add(o);
    }

    /// <summary>True when <c>--llm-endpoint</c> is given.</summary>
    public bool IsChosen(ParseResult parse) => parse.GetValue(Endpoint) is not null;

    public LlmReranker Create(ParseResult parse)
    {
        string endpoint = parse.GetValue(Endpoint)!;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new CliException($"--llm-endpoint must be an http or https URL, not \"{endpoint}\"");
        if (string.IsNullOrWhiteSpace(parse.GetValue(Model)))
            throw new CliException("--llm-endpoint needs --llm-model NAME (the chat model to ask)");
        if (parse.GetValue(Step) > parse.GetValue(Window))
            throw new CliException($"--llm-step must be at most --llm-window ({parse.GetValue(Window)}), not {parse.GetValue(Step)}");
        string model = parse.GetValue(Model)!;
        return LlmReranker.ForEndpoint(uri, model, ApiKey(), new LlmRerankerOptions
        {
            ModelId = model,
            WindowSize = parse.GetValue(Window),
            Step = parse.GetValue(Step),
            MaxPassageWords = parse.GetValue(MaxWords),
            RequestTimeout = TimeSpan.FromSeconds(parse.GetValue(Timeout)),
            MaxRetries = parse.GetValue(Retries),
            PromptCostPer1K = (decimal?)parse.GetValue(PromptCost),
            CompletionCostPer1K = (decimal?)parse.GetValue(CompletionCost),
        });
    }

    private static string? ApiKey() =>
        ApiKeyVariables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    /// <summary>The usage as JSON fields (snake case through <see cref="CliJson"/>).</summary>
    public static object Json(LlmUsage usage) => new
    {
        usage.Windows,
        usage.Retries,
        usage.RepairedWindows,
        usage.ResponsesWithoutUsage,
        usage.PromptTokens,
        usage.CompletionTokens,
        usage.TotalTokens,
        usage.Cost,
    };

    /// <summary>One line for the table output.</summary>
    public static string Line(LlmUsage usage) => string.Create(CultureInfo.InvariantCulture,
        $"LLM: {usage.Windows} request(s), {usage.Retries} retried, {usage.RepairedWindows} answer(s) repaired; tokens {usage.PromptTokens} prompt + {usage.CompletionTokens} completion = {usage.TotalTokens}")
        + (usage.ResponsesWithoutUsage > 0 ? $" ({usage.ResponsesWithoutUsage} response(s) without usage)" : "")
        + (usage.Cost is { } cost ? string.Create(CultureInfo.InvariantCulture, $"; cost {cost:0.######}") : "");
}
