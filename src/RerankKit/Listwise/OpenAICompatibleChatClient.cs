using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace RerankKit.Listwise;

/// <summary>A minimal <see cref="IChatClient"/> for any server that speaks OpenAI's chat completions API (vLLM,
/// Ollama, llama.cpp's server, LM Studio, OpenAI): a POST of <c>{model, messages, temperature}</c> to
/// <c>{endpoint}/chat/completions</c>, reading the first choice's text and the <c>usage</c> token counts. It is
/// text only (no tools, images or streaming from the server) and so needs nothing beyond HttpClient; for the full
/// API use OpenAI's SDK (<c>Microsoft.Extensions.AI.OpenAI</c>) and pass its <see cref="IChatClient"/> to
/// <see cref="LlmReranker"/> instead. It neither times out nor retries by itself: <see cref="LlmReranker"/> does
/// both, the same way for every client.</summary>
public sealed class OpenAICompatibleChatClient : IChatClient
{
    private const int ErrorExcerptChars = 300;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string? _apiKey;
    private readonly ChatClientMetadata _metadata;

    /// <param name="endpoint">The API base, e.g. <c>http://localhost:8000/v1</c> (vLLM), <c>http://localhost:11434/v1</c>
    /// (Ollama); a URL that already ends in <c>/chat/completions</c> is used as it is.</param>
    /// <param name="model">The model name sent when <see cref="ChatOptions.ModelId"/> does not give one.</param>
    /// <param name="apiKey">Sent as <c>Authorization: Bearer</c> to this endpoint only; null sends none.</param>
    /// <param name="httpClient">Yours to configure and dispose; null makes one without a timeout of its own.</param>
    public OpenAICompatibleChatClient(Uri endpoint, string model, string? apiKey = null, HttpClient? httpClient = null)
    {
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"the chat endpoint must be an http or https URL, not \"{endpoint}\"");
        if (string.IsNullOrWhiteSpace(model))
            throw new ArgumentException("the chat model name must not be empty");
        CompletionsUri = CompletionsOf(endpoint);
        _metadata = new ChatClientMetadata("openai-compatible", CompletionsUri, model);
        _apiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Where requests go.</summary>
    public Uri CompletionsUri { get; }

    private static Uri CompletionsOf(Uri endpoint)
    {
        string path = endpoint.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/chat/completions", StringComparison.Ordinal))
            return endpoint;
        return new UriBuilder(endpoint) { Path = path + "/chat/completions" }.Uri;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, CompletionsUri)
        {
            Content = new ByteArrayContent(RequestBody(messages, options)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (_apiKey is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new ChatEndpointException(
                $"the chat endpoint {CompletionsUri} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {Excerpt(body)}",
                response.StatusCode, RetryAfterOf(response));
        return Parse(body);
    }

    private byte[] RequestBody(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", options?.ModelId ?? _metadata.DefaultModelId);
            json.WriteStartArray("messages");
            foreach (var message in messages)
            {
                json.WriteStartObject();
                json.WriteString("role", message.Role.Value);
                json.WriteString("content", message.Text);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (options?.Temperature is { } temperature)
                json.WriteNumber("temperature", temperature);
            if (options?.MaxOutputTokens is { } maxTokens)
                json.WriteNumber("max_tokens", maxTokens);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private ChatResponse Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var choice = root.GetProperty("choices")[0];
            var message = choice.GetProperty("message");
            string? content = message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, content))
            {
                ResponseId = StringOrNull(root, "id"),
                ModelId = StringOrNull(root, "model"),
                FinishReason = StringOrNull(choice, "finish_reason") is { } reason ? new ChatFinishReason(reason) : null,
                Usage = UsageOf(root),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"the chat endpoint {CompletionsUri} sent something other than a chat completion: {Excerpt(body)}", e);
        }
    }

    private static UsageDetails? UsageOf(JsonElement root)
    {
        if (!root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
            return null;
        long? Count(string name) => usage.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) ? n : null;
        return new UsageDetails { InputTokenCount = Count("prompt_tokens"), OutputTokenCount = Count("completion_tokens"), TotalTokenCount = Count("total_tokens") };
    }

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static string Excerpt(string body)
    {
        string flat = body.ReplaceLineEndings(" ").Trim();
        return flat.Length == 0 ? "(empty body)" : flat.Length <= ErrorExcerptChars ? flat : flat[..ErrorExcerptChars] + "...";
    }

    /// <summary>The whole answer as one update: the server is not asked to stream.</summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
            yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }
}
