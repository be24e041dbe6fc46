using System.Text.Json;
using RerankKit.Models;

namespace RerankKit.Tokenization.Json;

/// <summary>The added tokens transformers registers on a fast tokenizer it builds from slow files
/// (<c>PreTrainedTokenizerFast.__init__</c>): <c>tokenizer_config.json</c>'s <c>added_tokens_decoder</c> in id order,
/// then each special token not among them, as <c>AddedToken(content, special=True)</c>, so not normalized unless the
/// file says so. A special token's settings come from <c>special_tokens_map.json</c> over <c>tokenizer_config.json</c>,
/// and an <c>added_tokens_decoder</c> entry with the same content wins over both.</summary>
internal static class SlowTokenizerAddedTokens
{
    private static readonly string[] SpecialTokenKeys =
        ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"];

    /// <param name="vocabularyId">The model vocabulary's id of a token, if it has one; a special token outside the
    /// vocabulary and the decoder gets the next free id, as the library gives it.</param>
    /// <param name="nextId">The first id after the model vocabulary.</param>
    public static List<AddedToken> Read(string folder, Func<string, int?> vocabularyId, int nextId)
    {
        using var config = ReadObject(Path.Combine(folder, "tokenizer_config.json"));
        using var map = ReadObject(Path.Combine(folder, "special_tokens_map.json"));
        var added = new List<AddedToken>();
        if (config?.RootElement.TryGetProperty("added_tokens_decoder", out var decoder) == true && decoder.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in decoder.EnumerateObject())
            {
                if (!int.TryParse(entry.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id))
                    throw new ModelLoadException($"{folder}: added_tokens_decoder key '{entry.Name}' is not an id");
                added.Add(Token(id, entry.Value, special: null));
            }
            added.Sort((a, b) => a.Id.CompareTo(b.Id));
        }
        nextId = added.Aggregate(nextId, (max, t) => Math.Max(max, t.Id + 1));
        foreach (var value in SpecialTokens(config?.RootElement, map?.RootElement))
        {
            var token = Token(0, value, special: true);
            if (added.Any(t => t.Content == token.Content))
                continue;
            added.Add(token with { Id = vocabularyId(token.Content) ?? nextId++ });
        }
        return added;
    }

    private static IEnumerable<JsonElement> SpecialTokens(JsonElement? config, JsonElement? map)
    {
        JsonElement? Value(string key) =>
            map is { } m && m.TryGetProperty(key, out var fromMap) ? fromMap
            : config is { } c && c.TryGetProperty(key, out var fromConfig) ? fromConfig
            : null;
        foreach (string key in SpecialTokenKeys)
        {
            if (Value(key) is { ValueKind: JsonValueKind.String or JsonValueKind.Object } v)
                yield return v;
        }
        if (Value("additional_special_tokens") is { ValueKind: JsonValueKind.Array } list)
        {
            foreach (var v in list.EnumerateArray())
            {
                if (v.ValueKind is JsonValueKind.String or JsonValueKind.Object)
                    yield return v;
            }
        }
    }

    // A plain string or an AddedToken object; "normalized" defaults to the opposite of "special", as in the library.
    private static AddedToken Token(int id, JsonElement value, bool? special)
    {
        if (value.ValueKind == JsonValueKind.String)
            return new AddedToken(id, value.GetString()!, special ?? false, Normalized: !(special ?? false));
        string content = value.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString()!
            : throw new ModelLoadException($"an added token has no content: {value.GetRawText()}");
        bool isSpecial = special ?? Bool(value, "special") ?? false;
        return new AddedToken(id, content, isSpecial, Bool(value, "single_word") ?? false, Bool(value, "lstrip") ?? false,
            Bool(value, "rstrip") ?? false, Bool(value, "normalized") ?? !isSpecial);
    }

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static JsonDocument? ReadObject(string path)
    {
        if (!File.Exists(path))
            return null;
        var doc = ModelJson.Read(path);
        if (doc.RootElement.ValueKind == JsonValueKind.Object)
            return doc;
        doc.Dispose();
        throw new ModelLoadException($"{path} must be a JSON object");
    }
}
