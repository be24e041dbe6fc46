using System.Text.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Inference;

/// <summary>The cases of a fixture's golden.json (float64 reference outputs).</summary>
internal sealed record GoldenCase(string? Query, string? Document, string? Text, int MaxLength, int[] InputIds, int[]? TokenTypeIds, double? Logit, double[]? Embedding);

internal static class GoldenFile
{
    public static IReadOnlyList<GoldenCase> Cases(string fixture)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SharedData.Fixture(fixture), "golden.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new GoldenCase(
            Str(c, "query"), Str(c, "document"), Str(c, "text"),
            c.GetProperty("max_length").GetInt32(),
            c.GetProperty("input_ids").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
            c.TryGetProperty("token_type_ids", out var t) ? t.EnumerateArray().Select(x => x.GetInt32()).ToArray() : null,
            c.TryGetProperty("logit", out var l) ? l.GetDouble() : null,
            c.TryGetProperty("embedding", out var e) ? e.EnumerateArray().Select(x => x.GetDouble()).ToArray() : null)).ToList();
    }

    public static double[][] CosineMatrix(string fixture)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SharedData.Fixture(fixture), "golden.json")));
        return doc.RootElement.GetProperty("cosine_similarity").EnumerateArray()
            .Select(r => r.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
}
