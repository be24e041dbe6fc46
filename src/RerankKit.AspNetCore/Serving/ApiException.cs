using Microsoft.AspNetCore.Http;

namespace RerankKit.Serving;

/// <summary>A request the server refuses, answered with <see cref="StatusCode"/> and a JSON error naming
/// <see cref="Field"/>.</summary>
internal sealed class ApiException(int statusCode, string? field, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string? Field { get; } = field;

    public static ApiException Invalid(string field, string message) => new(StatusCodes.Status400BadRequest, field, message);

    public static ApiException TooLarge(string field, string message) => new(StatusCodes.Status413PayloadTooLarge, field, message);
}
