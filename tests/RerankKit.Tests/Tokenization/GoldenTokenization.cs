using System.Text.Json;
using RerankKit.Tests.Infrastructure;
using RerankKit.Tokenization;

namespace RerankKit.Tests.Tokenization;

/// <summary>One tokenization case from a fixture's golden.json: a text or a query/document pair with the ids
/// the reference implementation produced.</summary>
public sealed record GoldenTokenization(string? Text, string? Query, string? Document, int MaxLength, int[] InputIds, int[]? TokenTypeIds, string[]? Pieces)
{
    public static readonly string[] Fixtures = ["tiny-bert-reranker", "minilm-l6-shaped-reranker", "tiny-xlmr-reranker", "tiny-bert-embedder"];

    private static readonly Dictionary<string, GoldenTokenization[]> Cache = [];

    public static GoldenTokenization[] Load(string fixture)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(fixture, out var cached))
                return cached;
            using var stream = File.OpenRead(Path.Combine(SharedData.Fixture(fixture), "golden.json"));
            using var doc = JsonDocument.Parse(stream);
            var cases = doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new GoldenTokenization(
                Str(c, "text"), Str(c, "query"), Str(c, "document"), c.GetProperty("max_length").GetInt32(),
                Ints(c.GetProperty("input_ids")),
                c.TryGetProperty("token_type_ids", out var t) ? Ints(t) : null,
                c.TryGetProperty("pieces", out var p) ? p.EnumerateArray().Select(x => x.GetString()!).ToArray() : null))
                .Select(FollowLibrary).ToArray();
            Cache[fixture] = cases;
            return cases;
        }
    }

    /// <summary>(fixture, case index) for every golden case of the given fixtures (all four by default).</summary>
    public static TheoryData<string, int> AllCases(params string[] fixtures)
    {
        var data = new TheoryData<string, int>();
        foreach (string fixture in fixtures.Length > 0 ? fixtures : Fixtures)
            for (int i = 0; i < Load(fixture).Length; i++)
                data.Add(fixture, i);
        return data;
    }

    /// <summary>Whether the text spells BERT's "[UNK]", which the reference that wrote the BERT goldens split as text.</summary>
    public bool TypesUnkToken => $"{Text}{Query}{Document}".Contains("[UNK]", StringComparison.Ordinal);

    // The reference behind the BERT goldens tokenized a typed "[UNK]" as text ([ un ##k ] = 1031 4895 2243 1033).
    // The official tokenizers library matches it as the special token (npm tokenizers 0.23.2 on this tokenizer.json:
    // "may become [UNK]." -> 101 2089 2468 100 1012 102), and so do the tiny-distilbert-nli and tiny-mpnet goldens,
    // which type "[SEP]" and "<s>" over the same files. The library is the truth here: those four ids become 100.
    private static GoldenTokenization FollowLibrary(GoldenTokenization g)
    {
        int[] text = [1031, 4895, 2243, 1033];
        int at = g.InputIds.AsSpan().IndexOf(text);
        if (!g.TypesUnkToken || at < 0)
            return g;
        int[] ids = [.. g.InputIds[..at], 100, .. g.InputIds[(at + text.Length)..]];
        int[]? types = g.TokenTypeIds is { } t ? [.. t[..at], t[at], .. t[(at + text.Length)..]] : null;
        return g with { InputIds = ids, TokenTypeIds = types, Pieces = null };
    }

    public EncodedInput EncodeWith(ITextTokenizer tokenizer) => Text is not null
        ? tokenizer.Encode(Text, MaxLength)
        : tokenizer.EncodePair(Query!, Document!, MaxLength);

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();
}
