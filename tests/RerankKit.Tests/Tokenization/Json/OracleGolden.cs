using System.IO.Compression;
using System.Text.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Tokenization.Json;

/// <summary>The goldens tools/tokenizer-oracle/generate.mjs wrote from the official tokenizers library (npm 0.23.2)
/// into Tokenization/Oracle: the shared inputs (cases.json.gz) and, per distinct tokenizer.json, what the library
/// produced for each of them.</summary>
internal static class OracleGolden
{
    public static string Folder => Path.Combine(SharedData.RepoRoot, "tests", "RerankKit.Tests", "Tokenization", "Oracle");

    public static readonly Lazy<Inputs> Cases = new(() =>
    {
        using var doc = Read("cases.json.gz");
        var root = doc.RootElement;
        return new Inputs(
            root.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToArray(),
            root.GetProperty("pairs").EnumerateArray().Select(p => (p[0].GetInt32(), p[1].GetInt32())).ToArray(),
            root.GetProperty("truncations").EnumerateArray().Select(t => new TruncationCase(
                t.GetProperty("a").GetInt32(), t.GetProperty("b").ValueKind == JsonValueKind.Null ? null : t.GetProperty("b").GetInt32(),
                t.GetProperty("max").GetInt32(), t.GetProperty("strategy").GetString()!, t.GetProperty("direction").GetString()!)).ToArray());
    });

    public static IReadOnlyList<(string Name, string[] Paths)> Index()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "index.json")));
        return doc.RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("name").GetString()!, e.GetProperty("paths").EnumerateArray().Select(p => p.GetString()!).ToArray()))
            .ToList();
    }

    /// <summary>The golden of the tokenizer.json whose sha256 is <paramref name="sha256"/>.</summary>
    public static string NameOfFile(string sha256)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "index.json")));
        return doc.RootElement.EnumerateArray().Single(e => e.GetProperty("sha256").GetString() == sha256).GetProperty("name").GetString()!;
    }

    /// <summary>The model folders tools/tokenizer-oracle/folders.mjs covered (Oracle/Folders/index.json): name, path
    /// under ../shared, and, when the folder ships a tokenizer.json, the cases on which that file and the pipeline the
    /// converter builds from the folder's other files differ in the library.</summary>
    public static IReadOnlyList<(string Name, string Folder, string[]? DiffersFromTokenizerJson)> FolderIndex()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "Folders", "index.json")));
        return doc.RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("name").GetString()!, e.GetProperty("folder").GetString()!,
                e.GetProperty("differsFromTokenizerJson") is { ValueKind: JsonValueKind.Array } d ? d.EnumerateArray().Select(x => x.GetString()!).ToArray() : null))
            .ToList();
    }

    public static JsonDocument Read(string file)
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(Folder, file)), CompressionMode.Decompress);
        return JsonDocument.Parse(gz);
    }

    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    public sealed record Inputs(string[] Texts, (int A, int B)[] Pairs, TruncationCase[] Truncations);

    public sealed record TruncationCase(int A, int? B, int MaxLength, string Strategy, string Direction);
}
