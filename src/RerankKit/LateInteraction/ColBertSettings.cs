using System.Text.Json;
using RerankKit.Models;

namespace RerankKit.LateInteraction;

/// <summary>PyLate's ColBERT settings from <c>config_sentence_transformers.json</c>, with PyLate's defaults where a key
/// is absent (<c>do_query_expansion</c> true, <c>attend_to_expansion_tokens</c> false, lengths 32 and 180).</summary>
public sealed record ColBertSettings
{
    public string QueryPrefix { get; init; } = "[Q] ";
    public string DocumentPrefix { get; init; } = "[D] ";
    public int QueryLength { get; init; } = 32;
    public int DocumentLength { get; init; } = 180;
    public bool AttendToExpansionTokens { get; init; }
    public bool DoQueryExpansion { get; init; } = true;

    /// <summary>Words whose document token vectors are dropped before scoring (PyLate's <c>skiplist_words</c>).</summary>
    public IReadOnlyList<string> SkiplistWords { get; init; } = [];

    public const string FileName = "config_sentence_transformers.json";

    /// <summary>Whether a folder is a PyLate ColBERT: its sentence-transformers config names MaxSim, or it has the
    /// ColBERT prefixes, and modules.json has a PyLate Dense module.</summary>
    public static bool IsColBert(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            return false;
        using var doc = ModelJson.Read(path);
        var root = doc.RootElement;
        return root.ValueKind == JsonValueKind.Object
            && ((root.TryGetProperty("similarity_fn_name", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() == "MaxSim")
                || root.TryGetProperty("query_prefix", out _) && root.TryGetProperty("document_length", out _));
    }

    public static ColBertSettings Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new ModelLoadException($"{folder} has no {FileName}, which a PyLate ColBERT model keeps its prefixes and lengths in");
        using var doc = ModelJson.Read(path);
        var root = doc.RootElement;
        var defaults = new ColBertSettings();
        try
        {
            return new ColBertSettings
            {
                QueryPrefix = Str(root, "query_prefix") ?? defaults.QueryPrefix,
                DocumentPrefix = Str(root, "document_prefix") ?? defaults.DocumentPrefix,
                QueryLength = Int(root, "query_length") ?? defaults.QueryLength,
                DocumentLength = Int(root, "document_length") ?? defaults.DocumentLength,
                AttendToExpansionTokens = Bool(root, "attend_to_expansion_tokens") ?? defaults.AttendToExpansionTokens,
                DoQueryExpansion = Bool(root, "do_query_expansion") ?? defaults.DoQueryExpansion,
                SkiplistWords = root.TryGetProperty("skiplist_words", out var s) && s.ValueKind == JsonValueKind.Array
                    ? s.EnumerateArray().Select(w => w.GetString() ?? "").ToArray()
                    : [],
            };
        }
        catch (InvalidOperationException e)
        {
            throw new ModelLoadException($"{path} has a field of the wrong type: {e.Message}", e);
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;
}
