using System.Text;
using System.Text.Json;
using RerankKit.Models;
using RerankKit.Tokenization.Json.Models;
using RerankKit.Tokenization.Json.Normalizers;
using RerankKit.Tokenization.Json.PostProcessors;
using RerankKit.Tokenization.Json.PreTokenizers;

namespace RerankKit.Tokenization.Json;

/// <summary>Builds a <see cref="HuggingFaceTokenizer"/> from the tokenizer.json format; a component it does not know
/// is refused with one line naming it.</summary>
internal static class TokenizerJsonReader
{
    public static HuggingFaceTokenizer Read(string path, string? padToken, TokenizerPaddingSide? paddingSide)
    {
        JsonDocument doc;
        try
        {
            using var stream = File.OpenRead(path);
            doc = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path} is not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            try
            {
                return Build(doc.RootElement, padToken, paddingSide);
            }
            catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException)
            {
                throw new ModelLoadException($"{path}: {e.Message}", e);
            }
        }
    }

    internal static HuggingFaceTokenizer Build(JsonElement root, string? padToken, TokenizerPaddingSide? paddingSide)
    {
        int? padTokenId = null;
        var normalizer = Optional(root, "normalizer") is { } n ? Normalizer(n) : null;
        var preTokenizer = Optional(root, "pre_tokenizer") is { } p ? PreTokenizer(p) : null;
        var model = Model(root.GetProperty("model"));
        var post = Optional(root, "post_processor") is { } pp ? PostProcessor(pp) : null;
        var added = new List<AddedToken>();
        if (Optional(root, "added_tokens") is { } list)
        {
            foreach (var t in list.EnumerateArray())
            {
                added.Add(new AddedToken(t.GetProperty("id").GetInt32(), t.GetProperty("content").GetString()!,
                    Bool(t, "special", false), Bool(t, "single_word", false), Bool(t, "lstrip", false),
                    Bool(t, "rstrip", false), Bool(t, "normalized", !Bool(t, "special", false))));
            }
        }
        if (padToken is not null)
            padTokenId = added.FirstOrDefault(t => t.Content == padToken)?.Id ?? (model.TryGetId(padToken, out int id) ? id : null);
        if (Optional(root, "padding") is { } padding)
        {
            padTokenId ??= padding.TryGetProperty("pad_id", out var padId) && padId.ValueKind == JsonValueKind.Number ? padId.GetInt32() : null;
            paddingSide ??= Str(padding, "direction") == "Left" ? TokenizerPaddingSide.Left : null;
        }
        return new HuggingFaceTokenizer(normalizer, preTokenizer, model, post, added, padTokenId, paddingSide ?? TokenizerPaddingSide.Right);
    }

    private static INormalizer Normalizer(JsonElement e)
    {
        string type = Type(e, "normalizer");
        return type switch
        {
            "BertNormalizer" => new BertNormalizer(Bool(e, "clean_text", true), Bool(e, "handle_chinese_chars", true),
                e.TryGetProperty("strip_accents", out var sa) && sa.ValueKind is JsonValueKind.True or JsonValueKind.False ? sa.GetBoolean() : null,
                Bool(e, "lowercase", true)),
            "NFC" => new UnicodeFormNormalizer(NormalizationForm.FormC),
            "NFD" => new UnicodeFormNormalizer(NormalizationForm.FormD),
            "NFKC" => new UnicodeFormNormalizer(NormalizationForm.FormKC),
            "NFKD" => new UnicodeFormNormalizer(NormalizationForm.FormKD),
            "Lowercase" => new LowercaseNormalizer(),
            "StripAccents" => new StripAccentsNormalizer(),
            "Strip" => new StripNormalizer(Bool(e, "strip_left", true), Bool(e, "strip_right", true)),
            "Replace" => new ReplaceNormalizer(Pattern(e.GetProperty("pattern")), e.GetProperty("content").GetString()!),
            "Prepend" => new PrependNormalizer(e.GetProperty("prepend").GetString()!),
            "Precompiled" => Precompiled(e),
            "Sequence" => new SequenceNormalizer(e.GetProperty("normalizers").EnumerateArray().Select(Normalizer).ToList()),
            _ => throw new FormatException($"normalizer '{type}' is not supported"),
        };
    }

    private static INormalizer Precompiled(JsonElement e)
    {
        string? charsmap = Str(e, "precompiled_charsmap");
        // An empty map normalizes nothing, as in the library.
        return string.IsNullOrEmpty(charsmap)
            ? new SequenceNormalizer([])
            : new PrecompiledNormalizer(new PrecompiledCharsMap(Convert.FromBase64String(charsmap)));
    }

    private static IPreTokenizer PreTokenizer(JsonElement e)
    {
        string type = Type(e, "pre_tokenizer");
        return type switch
        {
            "BertPreTokenizer" => new BertPreTokenizer(),
            "ByteLevel" => new ByteLevelPreTokenizer(Bool(e, "add_prefix_space", true), Bool(e, "use_regex", true)),
            "Metaspace" => Metaspace(e),
            "Whitespace" => new WhitespacePreTokenizer(),
            "WhitespaceSplit" => new WhitespaceSplitPreTokenizer(),
            "Punctuation" => new PunctuationPreTokenizer(Behavior(e, SplitDelimiterBehavior.Isolated)),
            "Digits" => new DigitsPreTokenizer(Bool(e, "individual_digits", false)),
            "Split" => new SplitPreTokenizer(Pattern(e.GetProperty("pattern")), Behavior(e, SplitDelimiterBehavior.Removed), Bool(e, "invert", false)),
            "CharDelimiterSplit" => new CharDelimiterSplitPreTokenizer(Rune.GetRuneAt(e.GetProperty("delimiter").GetString()!, 0)),
            "Sequence" => new SequencePreTokenizer(e.GetProperty("pretokenizers").EnumerateArray().Select(PreTokenizer).ToList()),
            _ => throw new FormatException($"pre_tokenizer '{type}' is not supported"),
        };
    }

    private static MetaspacePreTokenizer Metaspace(JsonElement e)
    {
        string replacement = Str(e, "replacement") ?? "\u2581";
        var scheme = Str(e, "prepend_scheme") switch
        {
            "always" => MetaspacePreTokenizer.Prepend.Always,
            "first" => MetaspacePreTokenizer.Prepend.First,
            "never" => MetaspacePreTokenizer.Prepend.Never,
            null => Bool(e, "add_prefix_space", true) ? MetaspacePreTokenizer.Prepend.Always : MetaspacePreTokenizer.Prepend.Never,
            var other => throw new FormatException($"Metaspace prepend_scheme '{other}' is not supported"),
        };
        return new MetaspacePreTokenizer(Rune.GetRuneAt(replacement, 0), scheme, Bool(e, "split", true));
    }

    private static ITokenizerModel Model(JsonElement e)
    {
        string? type = Str(e, "type");
        type ??= e.TryGetProperty("vocab", out var v) && v.ValueKind == JsonValueKind.Array ? "Unigram"
            : e.TryGetProperty("merges", out _) ? "BPE"
            : e.TryGetProperty("continuing_subword_prefix", out _) ? "WordPiece" : null;
        switch (type)
        {
            case "WordPiece":
                return new WordPieceModel(Vocab(e), Str(e, "unk_token") ?? "[UNK]", Str(e, "continuing_subword_prefix") ?? "##",
                    e.TryGetProperty("max_input_chars_per_word", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : 100);
            case "BPE":
                return new BpeModel(Vocab(e), Merges(e.GetProperty("merges")), Str(e, "unk_token"), Str(e, "continuing_subword_prefix"),
                    Str(e, "end_of_word_suffix"), Bool(e, "fuse_unk", false), Bool(e, "byte_fallback", false), Bool(e, "ignore_merges", false));
            case "Unigram":
                var pieces = e.GetProperty("vocab").EnumerateArray()
                    .Select(p => (p[0].GetString()!, p[1].GetDouble())).ToList();
                int? unk = e.TryGetProperty("unk_id", out var u) && u.ValueKind == JsonValueKind.Number ? u.GetInt32() : null;
                return new UnigramLatticeModel(pieces, unk, Bool(e, "byte_fallback", false));
            default:
                throw new FormatException($"model '{type}' is not supported (WordPiece, BPE and Unigram are)");
        }
    }

    private static Dictionary<string, int> Vocab(JsonElement model)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in model.GetProperty("vocab").EnumerateObject())
            vocab[entry.Name] = entry.Value.GetInt32();
        return vocab;
    }

    // Merges come as "a b" strings (older files) or ["a", "b"] pairs (newer files, which allow spaces in tokens).
    private static List<(string, string)> Merges(JsonElement merges)
    {
        var list = new List<(string, string)>(merges.GetArrayLength());
        foreach (var m in merges.EnumerateArray())
        {
            if (m.ValueKind == JsonValueKind.Array)
            {
                list.Add((m[0].GetString()!, m[1].GetString()!));
                continue;
            }
            string s = m.GetString()!;
            int space = s.IndexOf(' ', 1);
            if (space < 0 || s.IndexOf(' ', space + 1) >= 0)
                throw new FormatException($"BPE merge '{s}' is not two tokens separated by a space");
            list.Add((s[..space], s[(space + 1)..]));
        }
        return list;
    }

    private static IPostProcessor PostProcessor(JsonElement e)
    {
        string type = Type(e, "post_processor");
        return type switch
        {
            "TemplateProcessing" => Template(e),
            "BertProcessing" => new BertPostProcessor(TokenAndId(e.GetProperty("sep")), TokenAndId(e.GetProperty("cls"))),
            "RobertaProcessing" => new RobertaPostProcessor(TokenAndId(e.GetProperty("sep")), TokenAndId(e.GetProperty("cls")),
                Bool(e, "trim_offsets", true), Bool(e, "add_prefix_space", true)),
            "ByteLevel" => new ByteLevelPostProcessor(Bool(e, "trim_offsets", true), Bool(e, "add_prefix_space", true)),
            "Sequence" => new SequencePostProcessor(e.GetProperty("processors").EnumerateArray().Select(PostProcessor).ToList()),
            _ => throw new FormatException($"post_processor '{type}' is not supported"),
        };
    }

    private static TemplatePostProcessor Template(JsonElement e)
    {
        var specials = new Dictionary<string, (int[], string[])>(StringComparer.Ordinal);
        if (Optional(e, "special_tokens") is { } map)
        {
            foreach (var entry in map.EnumerateObject())
            {
                specials[entry.Name] = (entry.Value.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
                    entry.Value.GetProperty("tokens").EnumerateArray().Select(x => x.GetString()!).ToArray());
            }
        }
        return new TemplatePostProcessor(Pieces(e.GetProperty("single")), Pieces(e.GetProperty("pair")), specials);
    }

    private static List<TemplatePostProcessor.Piece> Pieces(JsonElement template) => template.EnumerateArray().Select(p =>
        p.TryGetProperty("Sequence", out var seq)
            ? new TemplatePostProcessor.Piece(true, seq.GetProperty("id").GetString()!, seq.GetProperty("type_id").GetInt32())
            : new TemplatePostProcessor.Piece(false, p.GetProperty("SpecialToken").GetProperty("id").GetString()!,
                p.GetProperty("SpecialToken").GetProperty("type_id").GetInt32())).ToList();

    private static (string, int) TokenAndId(JsonElement e) => (e[0].GetString()!, e[1].GetInt32());

    private static TextPattern Pattern(JsonElement e) =>
        e.TryGetProperty("Regex", out var r) ? TextPattern.FromRegex(r.GetString()!)
        : e.TryGetProperty("String", out var s) ? TextPattern.Literal(s.GetString()!)
        : throw new FormatException("a pattern must be {\"String\": …} or {\"Regex\": …}");

    private static SplitDelimiterBehavior Behavior(JsonElement e, SplitDelimiterBehavior fallback) =>
        Str(e, "behavior") is { } b
            ? Enum.TryParse<SplitDelimiterBehavior>(b, ignoreCase: true, out var parsed) ? parsed : throw new FormatException($"split behavior '{b}' is not supported")
            : fallback;

    private static string Type(JsonElement e, string what) =>
        Str(e, "type") ?? throw new FormatException($"{what} has no type");

    private static JsonElement? Optional(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Bool(JsonElement e, string name, bool fallback) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;
}
