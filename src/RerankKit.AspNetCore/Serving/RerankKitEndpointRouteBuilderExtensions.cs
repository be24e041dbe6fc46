using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RerankKit.Batching;
using RerankKit.Diagnostics;
using RerankKit.Models;
using RerankKit.Serving;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps RerankKit's HTTP API onto an ASP.NET Core app.</summary>
public static class RerankKitEndpointRouteBuilderExtensions
{
    /// <summary>Maps TEI <c>/rerank</c>, <c>/embed</c>, <c>/tokenize</c>; Cohere/Jina <c>/v1/rerank</c>; OpenAI
    /// <c>/v1/embeddings</c>; and <c>/info</c> below <paramref name="prefix"/>, served by the models registered with
    /// <c>AddRerankKit()</c>. Options come from <c>services.Configure&lt;RerankKitEndpointOptions&gt;</c>, then
    /// <paramref name="configure"/>. The returned group takes the host's conventions (authorization, CORS, rate
    /// limiting, OpenAPI).</summary>
    public static RouteGroupBuilder MapRerankKit(this IEndpointRouteBuilder endpoints, string prefix = "",
        Action<RerankKitEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var options = services.GetService<IOptions<RerankKitEndpointOptions>>()?.Value is { } configured
            ? configured with { }
            : new RerankKitEndpointOptions();
        configure?.Invoke(options);
        var state = new ServingState(services, options);
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() => state.DisposeAsync().AsTask().GetAwaiter().GetResult());

        var group = endpoints.MapGroup(prefix);
        group.AddEndpointFilter(async (context, next) =>
        {
            long started = Stopwatch.GetTimestamp();
            var result = await next(context).ConfigureAwait(false);
            var http = context.HttpContext;
            string endpoint = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            RerankKitTelemetry.RecordRequest(endpoint, http.Response.StatusCode, Stopwatch.GetElapsedTime(started));
            return result;
        });
        MapPost(group, "/rerank", state, RerankEndpoints.TeiAsync);
        MapPost(group, "/v1/rerank", state, RerankEndpoints.CohereAsync);
        MapPost(group, "/embed", state, EmbedEndpoints.TeiAsync);
        MapPost(group, "/v1/embeddings", state, EmbedEndpoints.OpenAiAsync);
        MapPost(group, "/tokenize", state, InfoEndpoints.TokenizeAsync);
        group.MapGet("/info", async (HttpContext context) =>
        {
            await state.ReadyAsync(context.RequestAborted).ConfigureAwait(false);
            return Results.Json(InfoEndpoints.Info(state), ServingState.Json);
        });
        MapWrongMethods(group, "/info", HttpMethods.Get);
        return group;
    }

    private static void MapPost(RouteGroupBuilder group, string pattern, ServingState state,
        Func<JsonRequest, ServingState, CancellationToken, Task<object>> handler)
    {
        group.MapPost(pattern, (HttpContext context) => HandleAsync(context, state, handler, pattern));
        MapWrongMethods(group, pattern, HttpMethods.Post);
    }

    /// <summary>Answers the other common methods with 405 and a JSON body, which routing alone gives without one.
    /// OPTIONS is left to CORS preflight.</summary>
    private static void MapWrongMethods(RouteGroupBuilder group, string pattern, string allowed)
    {
        string[] others = [.. new[] { HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch }.Where(m => m != allowed)];
        group.MapMethods(pattern, others, (HttpContext context) =>
        {
            context.Response.Headers.Allow = allowed;
            return ApiErrors.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, null,
                $"{context.Request.Method} is not allowed on {context.Request.Path}; use {allowed}.", "method_not_allowed");
        }).ExcludeFromDescription();
    }

    /// <summary>Runs one JSON endpoint and maps every failure to a status: bad input 400, 413 or 415, a full queue or
    /// a request not scored in time 503 with Retry-After, a model that cannot load 503, a vanished client nothing at
    /// all; only a fault of the server itself gives 500, whose details go to the log, not to the client.</summary>
    private static async Task HandleAsync(HttpContext context, ServingState state,
        Func<JsonRequest, ServingState, CancellationToken, Task<object>> handler, string pattern)
    {
        var aborted = context.RequestAborted;
        using var activity = RerankKitTelemetry.ActivitySource.StartActivity("rerankkit.request");
        activity?.SetTag("rerankkit.endpoint", pattern);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = state.Options.MaxRequestBodyBytes;
        try
        {
            await state.ReadyAsync(aborted).ConfigureAwait(false);
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
            await ApiErrors.WriteAsync(context, e.StatusCode, e.Field, e.Message, ApiErrors.TypeOf(e)).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            string type = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "payload_too_large" : "validation";
            await ApiErrors.WriteAsync(context, e.StatusCode, "body", e.Message, type).ConfigureAwait(false);
        }
        catch (BatcherOverloadedException e)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(e.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await ApiErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, null, e.Message, "overloaded").ConfigureAwait(false);
        }
        catch (BatcherTimeoutException e)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(e.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await ApiErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, null, e.Message, "timeout").ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            context.Response.Headers.RetryAfter = "1";
            await ApiErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, null, "The server is shutting down.", "unavailable").ConfigureAwait(false);
        }
        catch (ModelLoadException e)
        {
            Logger(context).LogError(e, "{Path}: the model failed to load", context.Request.Path);
            await ApiErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "model", "The model failed to load.", "unavailable").ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Logger(context).LogError(e, "{Path} failed", context.Request.Path);
            await ApiErrors.WriteAsync(context, StatusCodes.Status500InternalServerError, null, "Internal error; the server log has the details.", "backend").ConfigureAwait(false);
        }
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("RerankKit.Serving");
}
