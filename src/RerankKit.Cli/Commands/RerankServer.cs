using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using RerankKit.Caching;
using RerankKit.DependencyInjection;
using RerankKit.Diagnostics;
using RerankKit.Serving;

namespace RerankKit.Cli.Commands;

/// <summary>What <see cref="RerankServer"/> serves: a reranker, an embedder or both. The caller keeps ownership
/// and disposes them after the server.</summary>
public sealed record ServedModels(ICrossEncoder? Reranker, IBiEncoder? Embedder = null);

/// <summary>Where and how <see cref="RerankServer"/> listens, on top of the endpoints' own options.</summary>
public sealed record RerankServerOptions : RerankKitEndpointOptions
{
    /// <summary>Address to listen on: an IP address (127.0.0.1, 0.0.0.0, ::) or <c>localhost</c> (127.0.0.1). Other host
    /// names are refused rather than guessed at: Kestrel would listen on every interface for them.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port to listen on; 0 picks a free one (see <see cref="RerankServer.Address"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary><c>host:port</c> (or a StackExchange.Redis configuration string) of a Redis that replicas share
    /// scores through; null keeps the cache in-process only.</summary>
    public string? Redis { get; init; }

    /// <summary>How long shutdown waits for requests in flight to finish.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Adds log providers; none by default.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}

/// <summary>The <c>rerankkit serve</c> host: a minimal ASP.NET Core app that registers the given models with
/// <c>AddRerankKit</c>, maps them with <c>MapRerankKit</c>, and adds <c>/health</c> and a Prometheus
/// <c>/metrics</c> through OpenTelemetry.</summary>
public sealed class RerankServer : IAsyncDisposable
{
    // The limits the server answers with a JSON 414 or 431 (Kestrel's defaults); Kestrel's own, which answer
    // without a body, are set far above them.
    private const int MaxRequestTargetBytes = 8 * 1024;
    private const int MaxRequestHeadersBytes = 32 * 1024;
    private const int KestrelHardLimitBytes = 1024 * 1024;

    private readonly WebApplication _app;
    private bool _stopped;

    private RerankServer(WebApplication app, Uri address)
    {
        _app = app;
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
        var listenOn = ListenAddress(options.Host);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestLineSize = KestrelHardLimitBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = KestrelHardLimitBytes;
            kestrel.Listen(listenOn, options.Port);
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        var rerankKit = builder.Services.AddRerankKit();
        if (models.Reranker is not null)
            rerankKit.AddCrossEncoder("reranker", models.Reranker);
        if (models.Embedder is not null)
            rerankKit.AddBiEncoder("embedder", models.Embedder);
        if (options.Redis is not null)
        {
            // Connect before the host starts so that a bad address fails the start, not the first request.
            var redis = await RedisScoreCache.ConnectAsync(options.Redis).ConfigureAwait(false);
            builder.Services.AddSingleton<IScoreCache>(redis);
        }
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(RerankKitTelemetry.Name).AddPrometheusExporter());
        var app = builder.Build();
        app.UseStatusCodePages(context => ApiErrors.WriteStatusAsync(context.HttpContext));
        app.Use(RequestLimits);

        app.MapRerankKit(configure: endpoints =>
        {
            endpoints.Batching = options.Batching;
            endpoints.ScoreCacheCapacity = options.ScoreCacheCapacity;
            endpoints.MaxDocumentsPerRequest = options.MaxDocumentsPerRequest;
            endpoints.MaxDocumentChars = options.MaxDocumentChars;
            endpoints.MaxRequestBodyBytes = options.MaxRequestBodyBytes;
            endpoints.MaxQueuedEmbedRequests = options.MaxQueuedEmbedRequests;
        });
        app.MapGet("/health", () => Results.Json(new { Status = "ok" }));
        app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            // A busy port is the user's to fix: a user error (exit 2), not an internal one.
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"Port {options.Port} on {options.Host} is already in use; choose another with --port."));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var address = new Uri(app.Urls.First().Replace("[::]", "localhost", StringComparison.Ordinal).TrimEnd('/') + "/");
        return new RerankServer(app, address);
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
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static IPAddress ListenAddress(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            return IPAddress.Loopback;
        return IPAddress.TryParse(host, out var ip)
            ? ip
            : throw new ArgumentException($"--host must be an IP address (127.0.0.1, 0.0.0.0, ::) or localhost, not '{host}'");
    }

    /// <summary>Refuses an over-long URL (414) or header block (431) before any endpoint runs; the status-code page
    /// writes the JSON body.</summary>
    private static Task RequestLimits(HttpContext context, RequestDelegate next)
    {
        string target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        if (target.Length > MaxRequestTargetBytes)
        {
            context.Response.StatusCode = StatusCodes.Status414UriTooLong;
            return Task.CompletedTask;
        }
        long headerBytes = 0;
        foreach (var (name, values) in context.Request.Headers)
            headerBytes += name.Length + values.Sum(v => v?.Length ?? 0);
        if (headerBytes > MaxRequestHeadersBytes)
        {
            context.Response.StatusCode = StatusCodes.Status431RequestHeaderFieldsTooLarge;
            return Task.CompletedTask;
        }
        return next(context);
    }
}
