using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace RerankKit.Serving;

/// <summary>Reads a request body as a JSON object and its fields, turning every problem into an
/// <see cref="ApiException"/> that names the field, so bad input never surfaces as a 500.</summary>
internal sealed class JsonRequest
{
    private readonly JsonElement _root;
    private readonly RerankKitEndpointOptions _limits;

    private JsonRequest(JsonElement root, RerankKitEndpointOptions limits)
    {
        _root = root;
        _limits = limits;
    }

    public static async Task<JsonRequest> ReadAsync(HttpRequest request, RerankKitEndpointOptions limits, CancellationToken cancellationToken)
    {
        if (request.ContentType is not null && !request.HasJsonContentType())
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "Content-Type",
                $"The body must be JSON (Content-Type: application/json), not {request.ContentType}.");
        if (request.ContentLength > limits.MaxRequestBodyBytes)
            throw ApiException.TooLarge("body", $"The body has {request.ContentLength} bytes; the limit is {limits.MaxRequestBodyBytes}.");
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw ApiException.Invalid("body", $"The body is not valid JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw ApiException.Invalid("body", $"The body must be a JSON object, not {Describe(document.RootElement.ValueKind)}.");
            return new JsonRequest(document.RootElement.Clone(), limits);
        }
    }

    public string RequiredString(string field) =>
        OptionalString(field) ?? throw ApiException.Invalid(field, $"`{field}` is required.");

    public string? OptionalString(string field)
    {
        if (!TryGet(field, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw Mistyped(field, "a string", value);
        return Text(field, value);
    }

    public bool OptionalBool(string field, bool fallback)
    {
        if (!TryGet(field, out var value))
            return fallback;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Mistyped(field, "true or false", value),
        };
    }

    public int? OptionalPositiveInt(string field)
    {
        if (!TryGet(field, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number))
            throw Mistyped(field, "an integer", value);
        if (number < 1)
            throw ApiException.Invalid(field, $"`{field}` must be at least 1, not {number}.");
        return number;
    }

    /// <summary>A list of strings, given as a JSON array of strings (or, with <paramref name="allowSingle"/>, one string).</summary>
    public IReadOnlyList<string> Texts(string field, bool allowSingle)
    {
        if (!TryGet(field, out var value))
            throw ApiException.Invalid(field, $"`{field}` is required.");
        if (allowSingle && value.ValueKind == JsonValueKind.String)
            return [Text(field, value)];
        if (value.ValueKind != JsonValueKind.Array)
            throw Mistyped(field, allowSingle ? "a string or an array of strings" : "an array of strings", value);
        CheckCount(field, value.GetArrayLength());
        var texts = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            string itemField = $"{field}[{texts.Count}]";
            if (item.ValueKind != JsonValueKind.String)
                throw Mistyped(itemField, "a string", item);
            texts.Add(Text(itemField, item));
        }
        return texts;
    }

    /// <summary>Documents as Cohere and Jina take them: strings or objects with a <c>text</c> field.</summary>
    public IReadOnlyList<string> Documents(string field)
    {
        if (!TryGet(field, out var value))
            throw ApiException.Invalid(field, $"`{field}` is required.");
        if (value.ValueKind != JsonValueKind.Array)
            throw Mistyped(field, "an array", value);
        CheckCount(field, value.GetArrayLength());
        var documents = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            string itemField = $"{field}[{documents.Count}]";
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                documents.Add(Text($"{itemField}.text", text));
            else if (item.ValueKind == JsonValueKind.String)
                documents.Add(Text(itemField, item));
            else
                throw Mistyped(itemField, "a string or an object with a string `text`", item);
        }
        return documents;
    }

    private bool TryGet(string field, out JsonElement value) =>
        _root.TryGetProperty(field, out value) && value.ValueKind != JsonValueKind.Null;

    private void CheckCount(string field, int count)
    {
        if (count > _limits.MaxDocumentsPerRequest)
            throw ApiException.TooLarge(field, $"`{field}` has {count} items; the limit is {_limits.MaxDocumentsPerRequest}.");
    }

    /// <summary>A JSON string as text within the length limit. JSON may carry what .NET strings and models cannot
    /// take: bytes that are not UTF-8, or an escaped surrogate without its pair (<c>"\ud800"</c>).</summary>
    private string Text(string field, JsonElement value)
    {
        if (!Utf8.IsValid(JsonMarshal.GetRawUtf8Value(value)))
            throw ApiException.Invalid(field, $"`{field}` is not valid UTF-8.");
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw ApiException.Invalid(field, $"`{field}` contains a lone surrogate (a \\uD800-\\uDFFF escape without its pair).");
        }
        return CheckLength(field, text);
    }

    private string CheckLength(string field, string text) => text.Length <= _limits.MaxDocumentChars
        ? text
        : throw ApiException.TooLarge(field, $"`{field}` has {text.Length} characters; the limit is {_limits.MaxDocumentChars}.");

    private static ApiException Mistyped(string field, string expected, JsonElement value) =>
        ApiException.Invalid(field, $"`{field}` must be {expected}, not {Describe(value.ValueKind)}.");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
