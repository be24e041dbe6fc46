using Microsoft.AspNetCore.Http;

namespace RerankKit.Serving;

/// <summary>Writes the JSON error body <c>{error, error_type, field}</c> that every error status carries, whether an
/// endpoint, routing or a server limit raised it.</summary>
internal static class ApiErrors
{
    public static async Task WriteAsync(HttpContext context, int status, string? field, string message, string type)
    {
        if (context.Response.HasStarted)
            return;
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new ApiError(message, type, field), ServingState.Json, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The body of a status that came without one (404 from routing, 405, a limit of the host).</summary>
    public static Task WriteStatusAsync(HttpContext context)
    {
        int status = context.Response.StatusCode;
        var request = context.Request;
        var (type, message) = status switch
        {
            StatusCodes.Status404NotFound => ("not_found", $"There is no {request.Path} here."),
            StatusCodes.Status405MethodNotAllowed => ("method_not_allowed", $"{request.Method} is not allowed on {request.Path}."),
            StatusCodes.Status414UriTooLong => ("uri_too_long", "The request URL is too long."),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported_media_type", "The body must be JSON (Content-Type: application/json)."),
            StatusCodes.Status431RequestHeaderFieldsTooLarge => ("headers_too_large", "The request headers are too large."),
            >= 500 => ("backend", "Internal error; the server log has the details."),
            _ => ("http", $"The request failed with status {status}."),
        };
        return WriteAsync(context, status, null, message, type);
    }

    public static string TypeOf(ApiException e) => e.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => "payload_too_large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        _ => "validation",
    };
}
