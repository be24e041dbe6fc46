using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using RerankKit.Batching;
using RerankKit.Caching;

namespace RerankKit.Serving;

/// <summary>An HTTP server for a reranker and an embedder speaking the Hugging Face TEI, Cohere/Jina and OpenAI
/// APIs, with micro-batching, a score cache (shared through Redis if asked), request limits and Prometheus
/// metrics.</summary>
/// <example><code>
/// await using var server = await RerankServer.StartAsync(new ServedModels(new CrossEncoder("cross-encoder/ms-marco-MiniLM-L6-v2")));
/// Console.WriteLine(server.Address); // POST {Address}rerank
/// await server.WaitForShutdownAsync();
/// </code></example>
public sealed class RerankServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CrossEncoderBatcher? _batcher;
    private readonly RedisScoreCache? _redis;
    private bool _stopped;

    private RerankServer(WebApplication app, CrossEncoderBatcher? batcher, RedisScoreCache? redis, Uri address)
    {
        _app = app;
        _batcher = batcher;
        _redis = redis;
        Address = address;
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:8080/</c>.</summary>
    public Uri Address { get; }

    public static async Task<RerankServer> StartAsync(ServedModels models, RerankServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        options ??= new RerankServerOptions();
        if (models.Reranker is null && models.Embedder is null)
            throw new ArgumentException("Serve a reranker, an embedder or both.", nameof(models));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        });
        builder.WebHost.UseUrls(Url(options.Host, options.Port));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RerankKit.Serving");

        var redis = options.Redis is null ? null : await RedisScoreCache.ConnectAsync(options.Redis, logger: logger).ConfigureAwait(false);
        IScoreCache? near = options.ScoreCacheCapacity > 0 ? new LruScoreCache(options.ScoreCacheCapacity) : null;
        IScoreCache? cache = (near, redis) switch
        {
            ({ } n, { } r) => new TieredScoreCache(n, r),
            _ => near ?? redis,
        };
        var metrics = new ServerMetrics();
        var batching = options.Batching;
        if (batching.CountTokens is null && models.RerankerTokenizer is { } tokenizer)
        {
            int maxLength = batching.MaxLength;
            batching = batching with { CountTokens = (q, d) => tokenizer.EncodePair(q, d, maxLength).Length };
        }
        var batcher = models.Reranker is null ? null : new CrossEncoderBatcher(models.Reranker, batching, cache, metrics, logger);
        var embeddings = models.Embedder is null ? null : new EmbeddingQueue(models.Embedder, options.MaxQueuedEmbedRequests);
        var state = new ServingState(models, options, batcher, metrics, embeddings);

        app.Use(async (context, next) =>
        {
            long started = Stopwatch.GetTimestamp();
            await next(context).ConfigureAwait(false);
            string endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.RequestFinished(endpoint, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        });
        MapPost(app, "/rerank", state, RerankEndpoints.TeiAsync);
        MapPost(app, "/v1/rerank", state, RerankEndpoints.CohereAsync);
        MapPost(app, "/embed", state, EmbedEndpoints.TeiAsync);
        MapPost(app, "/v1/embeddings", state, EmbedEndpoints.OpenAiAsync);
        MapPost(app, "/tokenize", state, InfoEndpoints.TokenizeAsync);
        app.MapGet("/health", () => Results.Json(InfoEndpoints.Health(), ServingState.Json));
        app.MapGet("/info", () => Results.Json(InfoEndpoints.Info(state), ServingState.Json));
        app.MapMetrics("/metrics", metrics.Registry);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (batcher is not null)
                await batcher.DisposeAsync().ConfigureAwait(false);
            redis?.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var address = new Uri(app.Urls.First().Replace("[::]", "localhost", StringComparison.Ordinal).TrimEnd('/') + "/");
        return new RerankServer(app, batcher, redis, address);
    }

    /// <summary>Waits until the process is asked to stop (Ctrl+C, SIGTERM) or <paramref name="cancellationToken"/>
    /// fires, then stops as <see cref="StopAsync"/> does.</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken = default)
    {
        var lifetime = _app.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStopping.Register(() => stopping.TrySetResult()))
        using (cancellationToken.Register(() => stopping.TrySetResult()))
            await stopping.Task.ConfigureAwait(false);
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Stops accepting connections, lets requests in flight finish (up to
    /// <see cref="RerankServerOptions.ShutdownTimeout"/>), then stops the batcher.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stopped)
            return;
        _stopped = true;
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_batcher is not null)
            await _batcher.DisposeAsync().ConfigureAwait(false);
        _redis?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string Url(string host, int port)
    {
        bool ipv6 = IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;
        return string.Create(CultureInfo.InvariantCulture, $"http://{(ipv6 ? $"[{host}]" : host)}:{port}");
    }

    private static void MapPost(WebApplication app, string pattern, ServingState state,
        Func<JsonRequest, ServingState, CancellationToken, Task<object>> handler) =>
        app.MapPost(pattern, (HttpContext context) => HandleAsync(context, state, handler));

    /// <summary>Runs one JSON endpoint and maps every failure to a status: bad input 400 or 413, a full queue 503
    /// with Retry-After, a vanished client nothing at all; only a fault of the server itself gives 500.</summary>
    private static async Task HandleAsync(HttpContext context, ServingState state,
        Func<JsonRequest, ServingState, CancellationToken, Task<object>> handler)
    {
        var aborted = context.RequestAborted;
        try
        {
            var body = await JsonRequest.ReadAsync(context.Request, state.Options, aborted).ConfigureAwait(false);
            object result = await handler(body, state, aborted).ConfigureAwait(false);
            await context.Response.WriteAsJsonAsync(result, result.GetType(), ServingState.Json, aborted).ConfigureAwait(false);
        }
        catch (Exception) when (aborted.IsCancellationRequested)
        {
            // The client is gone (mid-body or while waiting); its work was dropped and there is nobody to answer.
        }
        catch (ApiException e)
        {
            await WriteErrorAsync(context, e.StatusCode, e.Field, e.Message, e.StatusCode == 413 ? "payload_too_large" : "validation").ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            string type = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "payload_too_large" : "validation";
            await WriteErrorAsync(context, e.StatusCode, "body", e.Message, type).ConfigureAwait(false);
        }
        catch (BatcherOverloadedException e)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(e.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, null, e.Message, "overloaded").ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            context.Response.Headers.RetryAfter = "1";
            await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, null, "The server is shutting down.", "unavailable").ConfigureAwait(false);
        }
        catch (Exception e)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("RerankKit.Serving")
                .LogError(e, "{Path} failed", context.Request.Path);
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, null, "Internal error: " + e.Message, "backend").ConfigureAwait(false);
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string? field, string message, string type)
    {
        if (context.Response.HasStarted)
            return;
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new ApiError(message, type, field), ServingState.Json, context.RequestAborted).ConfigureAwait(false);
    }
}
