using System.Text.Json;
using RerankKit.Models;
using RerankKit.Tokenization.Json;

namespace RerankKit.Tokenization;

/// <summary>Builds the tokenizer a Hugging Face model folder asks for. A folder with <c>tokenizer.json</c> gets the
/// <see cref="HuggingFaceTokenizer"/> runtime (any WordPiece, BPE or Unigram pipeline). Without it,
/// <c>tokenizer_config.json</c> (<c>tokenizer_class</c>), <c>config.json</c> (<c>model_type</c>) and the files present
/// choose: <c>vocab.txt</c>, <c>vocab.json</c> + <c>merges.txt</c> and DeBERTa's <c>spm.model</c> become the pipeline
/// transformers' converter builds from them (<see cref="SlowTokenizerConverter"/>), XLM-R's SentencePiece model its
/// hand-written tokenizer.
/// BERT-family WordPiece runs on a hand-written fast path either way. Padding and truncation settings in
/// <c>tokenizer.json</c> are ignored: the caller decides max_length; the pad token and padding side come from
/// <c>tokenizer_config.json</c>.</summary>
public static class TokenizerFactory
{
    private enum Kind { Bert, MPNet, XlmRoberta }

    private static readonly Dictionary<string, Kind> ByTokenizerClass = new(StringComparer.Ordinal)
    {
        ["BertTokenizer"] = Kind.Bert,
        ["DistilBertTokenizer"] = Kind.Bert,
        ["ElectraTokenizer"] = Kind.Bert,
        ["MPNetTokenizer"] = Kind.MPNet,
        ["XLMRobertaTokenizer"] = Kind.XlmRoberta,
    };

    private static readonly Dictionary<string, Kind> ByModelType = new(StringComparer.Ordinal)
    {
        ["bert"] = Kind.Bert,
        ["distilbert"] = Kind.Bert,
        ["electra"] = Kind.Bert,
        ["mpnet"] = Kind.MPNet,
        ["xlm-roberta"] = Kind.XlmRoberta,
    };

    public static ITextTokenizer FromFolder(string folder)
    {
        if (!Directory.Exists(folder))
            throw new ModelLoadException($"model folder not found: {folder}");
        var config = TokenizerConfig.Load(folder);
        bool hasVocab = File.Exists(Path.Combine(folder, "vocab.txt"));
        bool hasSentencePiece = File.Exists(Path.Combine(folder, XlmRobertaTokenizer.ModelFileName));
        string tokenizerJson = Path.Combine(folder, "tokenizer.json");
        bool hasTokenizerJson = File.Exists(tokenizerJson);
        // BERT-family WordPiece keeps its hand-written fast path (several times faster; `bench tokenize`) for texts
        // without added tokens; every other tokenizer.json runs as written.
        if (hasTokenizerJson && !(KnownKind(folder, config) is Kind.Bert or Kind.MPNet
                && (hasVocab || TokenizerJsonModelType(folder) == "WordPiece")))
            return FromTokenizerJson(tokenizerJson, config);
        if (!hasTokenizerJson && IsQwen2(folder, config))
            return SlowTokenizerConverter.Qwen2(folder, config, config.AddPrefixSpace ?? false, AppendedEndOfText(folder));
        if (!hasTokenizerJson && IsDebertaV2(folder, config))
            return SlowTokenizerConverter.DebertaV2(folder, config, config.SplitByPunct ?? false);

        Kind kind = Choose(folder, config, hasVocab, hasSentencePiece, hasTokenizerJson);
        if (kind == Kind.XlmRoberta)
        {
            return hasSentencePiece
                ? XlmRobertaTokenizer.FromFolder(folder)
                : throw new ModelLoadException($"{folder} needs an XLM-RoBERTa tokenizer but has no {XlmRobertaTokenizer.ModelFileName}");
        }

        var options = BertTokenizerOptions.From(config) with { DoubleSeparatorInPair = kind == Kind.MPNet };
        // The file's pipeline takes the texts that may hold added tokens ("[SEP]", "<s>" typed in the text).
        if (hasVocab)
        {
            var vocabulary = WordPieceVocabulary.ReadVocabFile(Path.Combine(folder, "vocab.txt"));
            return new WordPieceTokenizer(vocabulary, options, hasTokenizerJson
                ? FromTokenizerJson(tokenizerJson, config)
                : SlowTokenizerConverter.WordPiece(folder, vocabulary, config, kind == Kind.MPNet));
        }
        if (hasTokenizerJson)
            return WordPieceFromTokenizerJson(folder, config, options, FromTokenizerJson(tokenizerJson, config));
        throw new ModelLoadException($"{folder} needs a WordPiece tokenizer but has neither vocab.txt nor tokenizer.json");
    }

    private static HuggingFaceTokenizer FromTokenizerJson(string path, TokenizerConfig config)
    {
        TokenizerPaddingSide? side = config.PaddingSide switch
        {
            "left" => TokenizerPaddingSide.Left,
            "right" => TokenizerPaddingSide.Right,
            _ => null,
        };
        return HuggingFaceTokenizer.FromFile(path, config.PadToken, side);
    }

    private static bool IsQwen2(string folder, TokenizerConfig config)
    {
        if (!File.Exists(Path.Combine(folder, "vocab.json")) || !File.Exists(Path.Combine(folder, "merges.txt")))
            return false;
        return config.TokenizerClass is { } tokenizerClass
            ? tokenizerClass is "Qwen2Tokenizer" or "Qwen2TokenizerFast"
            : ReadModelType(folder) is "qwen2" or "qwen3";
    }

    private static bool IsDebertaV2(string folder, TokenizerConfig config) =>
        File.Exists(Path.Combine(folder, "spm.model")) && (config.TokenizerClass is { } tokenizerClass
            ? tokenizerClass is "DebertaV2Tokenizer" or "DebertaV2TokenizerFast"
            : ReadModelType(folder) == "deberta-v2");

    /// <summary>The Qwen3-Embedding tokenizer.json appends the end-of-text token (config.json's <c>eos_token_id</c>)
    /// to every text, and its last-token pooling reads that position; the converter alone would not append it. So a
    /// sentence-transformers folder pooling the last token gets it; any other folder gets nothing appended.</summary>
    private static int? AppendedEndOfText(string folder)
    {
        string modulesPath = Path.Combine(folder, "modules.json");
        if (!File.Exists(modulesPath))
            return null;
        using var modules = ModelJson.Read(modulesPath);
        if (modules.RootElement.ValueKind != JsonValueKind.Array)
            return null;
        foreach (var module in modules.RootElement.EnumerateArray())
        {
            if (module.ValueKind != JsonValueKind.Object || !module.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || type.GetString()!.Split('.')[^1] != "Pooling")
                continue;
            string modulePath = module.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
            var pooling = PoolingConfig.Read(Path.Combine(folder, ModulePath.ConfigFile(folder, modulesPath, modulePath)));
            if (pooling.Mode != PoolingMode.LastToken)
                return null;
            string configPath = Path.Combine(folder, "config.json");
            if (File.Exists(configPath))
            {
                using var config = ParseJson(configPath);
                if (config.RootElement.TryGetProperty("eos_token_id", out var eos) && eos.ValueKind == JsonValueKind.Number && eos.TryGetInt32(out int id))
                    return id;
            }
            throw new ModelLoadException($"{folder} pools the last token but {configPath} names no single eos_token_id to append");
        }
        return null;
    }

    private static Kind? KnownKind(string folder, TokenizerConfig config)
    {
        if (config.TokenizerClass is { } tokenizerClass)
        {
            string name = tokenizerClass.EndsWith("Fast", StringComparison.Ordinal) ? tokenizerClass[..^4] : tokenizerClass;
            return ByTokenizerClass.TryGetValue(name, out var byClass) ? byClass : null;
        }
        return ReadModelType(folder) is { } modelType && ByModelType.TryGetValue(modelType, out var byModel) ? byModel : null;
    }

    private static Kind Choose(string folder, TokenizerConfig config, bool hasVocab, bool hasSentencePiece, bool hasTokenizerJson)
    {
        if (config.TokenizerClass is { } tokenizerClass)
        {
            string name = tokenizerClass.EndsWith("Fast", StringComparison.Ordinal) ? tokenizerClass[..^4] : tokenizerClass;
            if (name == "Qwen2Tokenizer")
                throw new ModelLoadException($"{folder} needs a Qwen2 tokenizer but has neither tokenizer.json nor vocab.json and merges.txt");
            if (name == "DebertaV2Tokenizer")
                throw new ModelLoadException($"{folder} needs a DeBERTa-v2 tokenizer but has neither tokenizer.json nor spm.model");
            return ByTokenizerClass.TryGetValue(name, out var byClass)
                ? byClass
                : throw new ModelLoadException($"{folder}: tokenizer_class '{tokenizerClass}' is not supported without tokenizer.json (supported: {string.Join(", ", ByTokenizerClass.Keys)}, Qwen2Tokenizer, DebertaV2Tokenizer; any class with tokenizer.json)");
        }
        string? modelType = ReadModelType(folder);
        if (modelType is not null && ByModelType.TryGetValue(modelType, out var byModel))
            return byModel;
        if (hasVocab || (hasTokenizerJson && TokenizerJsonModelType(folder) == "WordPiece"))
            return Kind.Bert;
        if (hasSentencePiece)
            return Kind.XlmRoberta;
        throw new ModelLoadException(
            $"cannot tell which tokenizer {folder} needs (no tokenizer_class, model_type '{modelType}'); " +
            $"supported: BERT WordPiece (vocab.txt or tokenizer.json), Qwen2 byte-level BPE (vocab.json + merges.txt), DeBERTa-v2 Unigram (spm.model), XLM-RoBERTa SentencePiece ({XlmRobertaTokenizer.ModelFileName}) and any tokenizer.json");
    }

    private static string? ReadModelType(string folder)
    {
        string path = Path.Combine(folder, "config.json");
        if (!File.Exists(path))
            return null;
        using var doc = ParseJson(path);
        return doc.RootElement.TryGetProperty("model_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
    }

    private static string? TokenizerJsonModelType(string folder)
    {
        using var doc = ParseJson(Path.Combine(folder, "tokenizer.json"));
        return doc.RootElement.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.Object
            && m.TryGetProperty("type", out var t) ? t.GetString() : null;
    }

    // Some BERT checkpoints ship only tokenizer.json: its WordPiece vocabulary and BertNormalizer settings
    // stand in for vocab.txt, while tokenizer_config.json still wins where it says something.
    private static WordPieceTokenizer WordPieceFromTokenizerJson(string folder, TokenizerConfig config, BertTokenizerOptions options,
        HuggingFaceTokenizer addedTokens)
    {
        string path = Path.Combine(folder, "tokenizer.json");
        using var doc = ParseJson(path);
        var root = doc.RootElement;
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object
            || !model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
            throw new ModelLoadException($"{path} has no WordPiece model.vocab");
        var byId = new SortedDictionary<int, string>();
        foreach (var entry in vocab.EnumerateObject())
            byId[entry.Value.GetInt32()] = entry.Name;
        if (byId.Count == 0 || byId.Keys.Last() != byId.Count - 1)
            throw new ModelLoadException($"{path}: WordPiece ids are not contiguous from 0");

        bool? lower = null, strip = null, chinese = null;
        if (root.TryGetProperty("normalizer", out var n) && n.ValueKind == JsonValueKind.Object
            && n.TryGetProperty("type", out var nt) && nt.GetString() == "BertNormalizer")
        {
            lower = JsonBool(n, "lowercase");
            strip = JsonBool(n, "strip_accents");
            chinese = JsonBool(n, "handle_chinese_chars");
        }
        options = options with
        {
            LowerCase = config.DoLowerCase ?? lower ?? options.LowerCase,
            StripAccents = config.StripAccents ?? strip,
            TokenizeChineseChars = config.TokenizeChineseChars ?? chinese ?? options.TokenizeChineseChars,
        };
        if (model.TryGetProperty("max_input_chars_per_word", out var mx) && mx.ValueKind == JsonValueKind.Number)
            options = options with { MaxInputCharsPerWord = mx.GetInt32() };
        return new WordPieceTokenizer(byId.Values.ToList(), options, addedTokens);
    }

    private static bool? JsonBool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
