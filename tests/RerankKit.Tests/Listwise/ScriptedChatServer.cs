using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RerankKit.Tests.Listwise;

/// <summary>An OpenAI-compatible chat completions server on 127.0.0.1 that plays a script: each request takes the
/// next step (a known answer, an HTTP error, a hang, a broken body); when the script is used up,
/// <see cref="Fallback"/> answers. Every request is recorded with the passages it carried, in arrival order.</summary>
internal sealed partial class ScriptedChatServer : IAsyncDisposable
{
    /// <summary>What the server does with one request. <paramref name="Answer"/> may read the request's passages.</summary>
    public sealed record Step(int Status = 200, Func<ReceivedRequest, string?>? Answer = null, string? RawBody = null,
        bool Hang = false, string? RetryAfter = null, int PromptTokens = 100, int CompletionTokens = 10, bool WithUsage = true);

    /// <summary>One request as received: its JSON, the passage texts of its <c>[i] text</c> user turns, when it came.</summary>
    public sealed record ReceivedRequest(JsonElement Body, IReadOnlyList<string> Passages, string? Authorization, TimeSpan At);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Step> _script = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private ScriptedChatServer(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>The step for requests beyond the script.</summary>
    public Step Fallback { get; set; } = Answering(_ => "");

    /// <summary>The API base to give the client, e.g. <c>http://127.0.0.1:PORT/v1</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public static Step Answering(string content, int promptTokens = 100, int completionTokens = 10) =>
        new(Answer: _ => content, PromptTokens: promptTokens, CompletionTokens: completionTokens);

    public static Step Answering(Func<ReceivedRequest, string?> answer) => new(Answer: answer);

    /// <summary>Every passage in reverse order: <c>[n] &gt; ... &gt; [1]</c>.</summary>
    public static Step Reversing() => Answering(r => string.Join(" > ", Enumerable.Range(1, r.Passages.Count).Reverse().Select(i => $"[{i}]")));

    public static async Task<ScriptedChatServer> StartAsync(params Step[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new ScriptedChatServer(app);
        foreach (var step in script)
            server._script.Enqueue(step);
        app.MapPost("/v1/chat/completions", server.Complete);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    private async Task Complete(HttpContext context)
    {
        using var json = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var body = json.RootElement.Clone();
        var passages = body.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() == "user")
            .Select(m => PassageTurn().Match(m.GetProperty("content").GetString()!))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToList();
        var request = new ReceivedRequest(body, passages, context.Request.Headers.Authorization.FirstOrDefault(), _clock.Elapsed);
        Requests.Enqueue(request);
        var step = _script.TryDequeue(out var next) ? next : Fallback;
        if (step.Hang)
        {
            // Until the client gives up: a server that accepted the request and never answers.
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { });
            return;
        }
        context.Response.StatusCode = step.Status;
        if (step.RetryAfter is not null)
            context.Response.Headers.RetryAfter = step.RetryAfter;
        if (step.RawBody is not null || step.Status != 200)
        {
            await context.Response.WriteAsync(step.RawBody ?? $"{{\"error\": {{\"message\": \"scripted {step.Status}\"}}}}");
            return;
        }
        var completion = new Dictionary<string, object?>
        {
            ["id"] = $"chatcmpl-{Requests.Count}",
            ["object"] = "chat.completion",
            ["model"] = body.GetProperty("model").GetString(),
            ["choices"] = new[] { new { index = 0, message = new { role = "assistant", content = step.Answer!(request) }, finish_reason = "stop" } },
        };
        if (step.WithUsage)
            completion["usage"] = new { prompt_tokens = step.PromptTokens, completion_tokens = step.CompletionTokens, total_tokens = step.PromptTokens + step.CompletionTokens };
        await context.Response.WriteAsJsonAsync(completion);
    }

    [GeneratedRegex(@"^\[\d+\] (.*)$", RegexOptions.Singleline)]
    private static partial Regex PassageTurn();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
