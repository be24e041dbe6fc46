using RerankKit.IO;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RerankKit.Retrieval;

/// <summary>manifest.json of an index folder: format name and version, what was indexed and how, and the size and
/// SHA-256 of every data file so a truncated, corrupted or mixed-up folder is caught on load (same-size damage such
/// as flipped bytes or swapped lines included). Written last, so a folder whose build was interrupted has no manifest
/// and is refused. SHA-256 because the BCL has it: on a SciFact-sized index (5,183 documents, 384-d float and int8
/// vectors, 22 MB of files) it adds about 40 ms to a ~300 ms load, and XxHash128 from System.IO.Hashing was only
/// ~15 ms faster (reading the files dominates), not worth a dependency for every consumer.</summary>
public sealed record IndexManifest
{
    public const string FormatName = "rerankkit-index";
    public const int CurrentVersion = 2;
    public const string FileName = "manifest.json";

    [JsonPropertyName("format")] public string Format { get; init; } = FormatName;
    [JsonPropertyName("version")] public int Version { get; init; } = CurrentVersion;
    [JsonPropertyName("created_utc")] public DateTime CreatedUtc { get; init; }
    [JsonPropertyName("document_count")] public int DocumentCount { get; init; }
    [JsonPropertyName("chunk_size")] public int? ChunkSize { get; init; }
    [JsonPropertyName("chunk_overlap")] public int? ChunkOverlap { get; init; }
    [JsonPropertyName("bm25_k1")] public float Bm25K1 { get; init; }
    [JsonPropertyName("bm25_b")] public float Bm25B { get; init; }
    [JsonPropertyName("embed_model")] public string? EmbedModel { get; init; }
    [JsonPropertyName("dimension")] public int? Dimension { get; init; }
    [JsonPropertyName("int8")] public bool Int8 { get; init; }
    [JsonPropertyName("colbert_model")] public string? ColBertModel { get; init; }
    [JsonPropertyName("colbert_dimension")] public int? ColBertDimension { get; init; }
    [JsonPropertyName("colbert_tokens")] public long? ColBertTokens { get; init; }
    [JsonPropertyName("files")] public Dictionary<string, long> Files { get; init; } = [];
    [JsonPropertyName("sha256")] public Dictionary<string, string> Sha256 { get; init; } = [];

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Reads and checks the manifest of <paramref name="folder"/>; every problem is one readable line.</summary>
    public static IndexManifest Read(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Index folder not found: {folder}");
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new InvalidDataException($"{folder} is not a RerankKit index (no {FileName}; build one with `rerankkit index`)");
        IndexManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<IndexManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is corrupt: {e.Message}");
        }
        if (manifest is null || manifest.Format != FormatName)
            throw new InvalidDataException($"{folder} is not a RerankKit index ({FileName} has format \"{manifest?.Format}\", expected \"{FormatName}\")");
        if (manifest.Version != CurrentVersion)
            throw new InvalidDataException($"{folder} is a version {manifest.Version} RerankKit index; this build reads version {CurrentVersion} (rebuild it with `rerankkit index`)");
        foreach (var (file, bytes) in manifest.Files)
        {
            var info = new FileInfo(Path.Combine(folder, file));
            if (!info.Exists)
                throw new InvalidDataException($"{folder} is an incomplete RerankKit index: {file} is missing");
            if (info.Length != bytes)
                throw new InvalidDataException($"{folder} is a corrupt RerankKit index: {file} has {info.Length} bytes, the manifest says {bytes}");
            if (!manifest.Sha256.TryGetValue(file, out string? expected))
                throw new InvalidDataException($"{folder} is a corrupt RerankKit index: the manifest has no checksum for {file}");
            if (!string.Equals(Checksum(info.FullName), expected, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"{folder} is a corrupt RerankKit index: {file} does not match its SHA-256 in the manifest (rebuild it with `rerankkit index`)");
        }
        return manifest;
    }

    /// <summary>The lowercase hex SHA-256 of a file, as recorded in the manifest.</summary>
    internal static string Checksum(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Write(string folder) =>
        AtomicFile.Write(Path.Combine(folder, FileName), s => JsonSerializer.Serialize(s, this, Json));
}
