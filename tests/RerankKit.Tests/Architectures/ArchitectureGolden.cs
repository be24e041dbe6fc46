using System.Text.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Architectures;

/// <summary>One case of a README-architectures.md fixture's golden.json. <see cref="First"/> is the query, premise or
/// text; <see cref="Logits"/> is the one logit, the NLI logit vector, or an LLM reranker's (no, yes) pair.</summary>
internal sealed record ArchitectureCase(
    string First, string? Second, string? Instruction, string? PromptName, string? Prompt, int MaxLength,
    int[] InputIds, int[]? TokenTypeIds, double[]? Logits, double? Score, double[]? Probabilities, string? Label,
    double[]? Embedding, (int Id, double Logit)[]? Top5, double? LogSumExp);

internal static class ArchitectureGolden
{
    public const double Tolerance = 1e-4;

    public static JsonElement Root(string fixture)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SharedData.Fixture(fixture), "golden.json")));
        return doc.RootElement.Clone();
    }

    public static IReadOnlyList<ArchitectureCase> Cases(string fixture) =>
        Root(fixture).GetProperty("cases").EnumerateArray().Select(Case).ToList();

    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    private static ArchitectureCase Case(JsonElement c)
    {
        double[]? logits = c.TryGetProperty("logit", out var l) ? [l.GetDouble()]
            : c.TryGetProperty("logits", out var ls) ? Doubles(ls)
            : c.TryGetProperty("logit_yes", out var yes) ? [c.GetProperty("logit_no").GetDouble(), yes.GetDouble()]
            : null;
        return new ArchitectureCase(
            Str(c, "query") ?? Str(c, "premise") ?? Str(c, "text")!,
            Str(c, "document") ?? Str(c, "hypothesis"),
            Str(c, "instruction"), Str(c, "prompt_name"), Str(c, "prompt"),
            c.GetProperty("max_length").GetInt32(),
            Ints(c.GetProperty("input_ids")),
            c.TryGetProperty("token_type_ids", out var t) ? Ints(t) : null,
            logits,
            c.TryGetProperty("score", out var s) ? s.GetDouble() : null,
            c.TryGetProperty("probabilities", out var p) ? Doubles(p) : null,
            Str(c, "label"),
            c.TryGetProperty("embedding", out var e) ? Doubles(e) : null,
            c.TryGetProperty("last_position_top5", out var top) ? top.EnumerateArray().Select(x => (x[0].GetInt32(), x[1].GetDouble())).ToArray() : null,
            c.TryGetProperty("last_position_logsumexp", out var lse) ? lse.GetDouble() : null);
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) < Tolerance, $"{what}: {actual} vs golden {expected} (|diff| {Math.Abs(expected - actual):g3})");
}
