using System.Text.Json;

namespace RerankKit.Models;

/// <summary>The <c>prompts</c> and <c>default_prompt_name</c> of config_sentence_transformers.json, chosen between
/// as sentence-transformers v5's <c>encode</c>, <c>encode_query</c> and <c>encode_document</c> do.</summary>
public sealed record PromptConfig(IReadOnlyDictionary<string, string> Prompts, string? DefaultPromptName)
{
    public const string FileName = "config_sentence_transformers.json";

    /// <summary>The names <c>encode_document</c> tries, in its order.</summary>
    private static readonly string[] DocumentPromptNames = ["document", "passage", "corpus"];

    public static PromptConfig None { get; } = new(new Dictionary<string, string>(), null);

    /// <summary>"query" when the model has that prompt, else null (no prompt).</summary>
    public string? QueryPromptName => Prompts.ContainsKey("query") ? "query" : null;

    /// <summary>The first of "document", "passage", "corpus" the model has, else null (no prompt).</summary>
    public string? DocumentPromptName => DocumentPromptNames.FirstOrDefault(Prompts.ContainsKey);

    /// <summary>The text <c>encode_query</c> puts before a query ("" for none).</summary>
    public string QueryPrompt => Resolve(null, QueryPromptName) ?? "";

    /// <summary>The text <c>encode_document</c> puts before a document ("" for none).</summary>
    public string DocumentPrompt => Resolve(null, DocumentPromptName) ?? "";

    /// <summary>The prompt text to prepend: <paramref name="prompt"/> wins over <paramref name="promptName"/>, and with
    /// neither the default prompt applies. Null or empty means none.</summary>
    public string? Resolve(string? prompt, string? promptName)
    {
        if (prompt is not null)
            return prompt;
        if (promptName is not null)
            return Prompts.TryGetValue(promptName, out string? named)
                ? named
                : throw new UnknownPromptException($"prompt name '{promptName}' is not one of the model's prompts ({Known()})");
        return DefaultPromptName is null ? null : Prompts[DefaultPromptName];
    }

    private string Known() => Prompts.Count == 0 ? "it has none" : string.Join(", ", Prompts.Keys);

    /// <summary>Reads the folder's file; a folder without it has no prompts.</summary>
    public static PromptConfig Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            return None;
        using var doc = ModelJson.Read(path);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new ModelLoadException($"{path} must be a JSON object");
        var prompts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("prompts", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in p.EnumerateObject())
                prompts[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                    ? entry.Value.GetString()!
                    : throw new ModelLoadException($"{path}: prompt '{entry.Name}' must be a string");
        }
        string? defaultName = root.TryGetProperty("default_prompt_name", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        var config = new PromptConfig(prompts, defaultName);
        // sentence-transformers refuses such a model on load too.
        if (defaultName is not null && !prompts.ContainsKey(defaultName))
            throw new ModelLoadException($"{path}: default_prompt_name '{defaultName}' is not one of the prompts ({config.Known()})");
        return config;
    }
}
