using System.Text.Json;
using RerankKit.Models;

namespace RerankKit.Tokenization;

/// <summary>The fields of a Hugging Face <c>tokenizer_config.json</c> that choose and configure a tokenizer.</summary>
public sealed record TokenizerConfig
{
    public string? TokenizerClass { get; init; }
    public bool? DoLowerCase { get; init; }

    /// <summary><c>strip_accents</c>; null means "follow lower-casing", as in BertTokenizer.</summary>
    public bool? StripAccents { get; init; }
    public bool? TokenizeChineseChars { get; init; }

    /// <summary><c>model_max_length</c>, null when absent or the "very large integer" placeholder.</summary>
    public int? ModelMaxLength { get; init; }
    public string? ClsToken { get; init; }
    public string? SepToken { get; init; }
    public string? PadToken { get; init; }
    public string? UnkToken { get; init; }

    /// <summary><c>add_prefix_space</c> of byte-level BPE tokenizers, null when absent.</summary>
    public bool? AddPrefixSpace { get; init; }

    /// <summary><c>split_by_punct</c> of DeBERTa-v2 tokenizers, null when absent.</summary>
    public bool? SplitByPunct { get; init; }

    /// <summary><c>padding_side</c> ("left" for decoder LLMs such as Qwen3), null when absent.</summary>
    public string? PaddingSide { get; init; }

    /// <summary>Reads <c>tokenizer_config.json</c> in <paramref name="folder"/>; an empty config when the file is absent.</summary>
    public static TokenizerConfig Load(string folder)
    {
        string path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path))
            return new TokenizerConfig();
        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream);
            return Parse(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    public static TokenizerConfig Parse(JsonElement root) => new()
    {
        TokenizerClass = Str(root, "tokenizer_class"),
        DoLowerCase = Bool(root, "do_lower_case"),
        StripAccents = Bool(root, "strip_accents"),
        TokenizeChineseChars = Bool(root, "tokenize_chinese_chars"),
        ModelMaxLength = root.TryGetProperty("model_max_length", out var m) && m.ValueKind == JsonValueKind.Number
            && m.TryGetInt64(out long max) && max > 0 && max <= 1_000_000 ? (int)max : null,
        ClsToken = Token(root, "cls_token"),
        SepToken = Token(root, "sep_token"),
        PadToken = Token(root, "pad_token"),
        UnkToken = Token(root, "unk_token"),
        PaddingSide = Str(root, "padding_side"),
        AddPrefixSpace = Bool(root, "add_prefix_space"),
        SplitByPunct = Bool(root, "split_by_punct"),
    };

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    // Special tokens are written either as a plain string or as an AddedToken object with "content".
    private static string? Token(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
            return null;
        if (v.ValueKind == JsonValueKind.String)
            return v.GetString();
        return v.ValueKind == JsonValueKind.Object ? Str(v, "content") : null;
    }
}
