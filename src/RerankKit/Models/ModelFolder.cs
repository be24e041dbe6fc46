using System.Text.Json;

namespace RerankKit.Models;

/// <summary>A resolved local model folder: its config, what kind of model it is, how it pools and scores, and the
/// longest input it takes.</summary>
public sealed class ModelFolder
{
    private static readonly string[] CrossEncoderArchitectures =
        ["BertForSequenceClassification", "XLMRobertaForSequenceClassification"];

    private static readonly string[] BiEncoderArchitectures = ["BertModel", "XLMRobertaModel"];

    private ModelFolder(string path, ModelConfig config, ModelKind kind, PoolingConfig pooling, bool normalize, PromptConfig prompts,
        int maxLength, int positionLimit)
    {
        Path = path;
        Config = config;
        Kind = kind;
        Pooling = pooling.Mode;
        IncludePrompt = pooling.IncludePrompt;
        PromptConfig = prompts;
        Normalize = normalize;
        MaxLength = maxLength;
        PositionLimit = positionLimit;
    }

    public string Path { get; }

    public ModelConfig Config { get; }

    public ModelKind Kind { get; }

    /// <summary>Bi-encoder pooling from the Pooling module's config (mean when the folder has none, as
    /// sentence-transformers does for a bare transformer).</summary>
    public PoolingMode Pooling { get; }

    /// <summary>The Pooling module's <c>include_prompt</c>: false leaves a prompt's tokens out of the pooled vector.</summary>
    public bool IncludePrompt { get; }

    /// <summary>The bi-encoder's prompts from config_sentence_transformers.json (none for a cross-encoder).</summary>
    public PromptConfig PromptConfig { get; }

    /// <summary>Whether modules.json ends in a Normalize module.</summary>
    public bool Normalize { get; }

    /// <summary>Longest input in tokens, special tokens included, after any override.</summary>
    public int MaxLength { get; }

    /// <summary>The most positions the model has: <c>max_position_embeddings</c>, minus the two that XLM-R and
    /// RoBERTa reserve for their position offset.</summary>
    public int PositionLimit { get; }

    /// <summary>The activation the config asks for (<see cref="ActivationRule.Resolve"/>).</summary>
    public ScoreActivation DefaultActivation => ActivationRule.Resolve(Config);

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Reads a folder; <paramref name="maxLengthOverride"/> replaces the configured max length.</summary>
    public static ModelFolder Open(string path, int? maxLengthOverride = null)
    {
        if (!Directory.Exists(path))
            throw new ModelLoadException($"model folder not found: {path}");
        string configPath = System.IO.Path.Combine(path, "config.json");
        if (!System.IO.File.Exists(configPath))
            throw new ModelLoadException($"{path} has no config.json, so it is not a Hugging Face model folder");
        ModelConfig config = ModelConfig.Load(configPath);

        ModelKind kind = KindOf(config, path);
        var (pooling, normalize) = kind == ModelKind.BiEncoder ? ReadModules(path) : (PoolingConfig.Default, false);
        var prompts = kind == ModelKind.BiEncoder ? PromptConfig.Load(path) : PromptConfig.None;
        int positionLimit = config.MaxPositionEmbeddings - (config.IsRoberta ? config.PadTokenId + 1 : 0);
        int configured = ConfiguredMaxLength(path, kind) is { } n ? Math.Min(n, positionLimit) : positionLimit;
        int maxLength = configured;
        if (maxLengthOverride is { } requested)
        {
            if (requested < 4 || requested > positionLimit)
                throw new ArgumentException($"max length {requested} is out of range for this model (4..{positionLimit})");
            maxLength = requested;
        }
        return new ModelFolder(System.IO.Path.GetFullPath(path), config, kind, pooling, normalize, prompts, maxLength, positionLimit);
    }

    private static ModelKind KindOf(ModelConfig config, string path)
    {
        string arch = config.Architecture;
        if (CrossEncoderArchitectures.Contains(arch))
            return ModelKind.CrossEncoder;
        if (BiEncoderArchitectures.Contains(arch))
            return ModelKind.BiEncoder;
        string shown = arch.Length > 0 ? arch : $"(none; model_type {config.ModelType})";
        throw new ModelLoadException(
            $"unknown architecture {shown} in {System.IO.Path.Combine(path, "config.json")} " +
            $"(supported: {string.Join(", ", CrossEncoderArchitectures.Concat(BiEncoderArchitectures))})");
    }

    private static (PoolingConfig Pooling, bool Normalize) ReadModules(string folder)
    {
        string modulesPath = System.IO.Path.Combine(folder, "modules.json");
        if (!System.IO.File.Exists(modulesPath))
            return (PoolingConfig.Default, false);
        using var doc = ModelJson.Read(modulesPath);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
            throw new ModelLoadException($"{modulesPath}: modules.json must be a JSON array of modules");
        PoolingConfig pooling = PoolingConfig.Default;
        bool normalize = false;
        foreach (var module in doc.RootElement.EnumerateArray())
        {
            if (module.ValueKind != JsonValueKind.Object)
                throw new ModelLoadException($"{modulesPath}: every module must be a JSON object");
            string type = module.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
            string modulePath = module.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
            switch (type.Split('.')[^1])
            {
                case "Transformer":
                    break;
                case "Pooling":
                    pooling = PoolingConfig.Read(System.IO.Path.Combine(folder, ModulePath.ConfigFile(folder, modulesPath, modulePath)));
                    break;
                case "Normalize":
                    normalize = true;
                    break;
                default:
                    throw new ModelLoadException($"unsupported sentence-transformers module {type} in {modulesPath} (supported: Transformer, Pooling, Normalize)");
            }
        }
        return (pooling, normalize);
    }

    private static int? ConfiguredMaxLength(string folder, ModelKind kind)
    {
        if (kind == ModelKind.BiEncoder && ReadInt(System.IO.Path.Combine(folder, "sentence_bert_config.json"), "max_seq_length") is { } seq)
            return seq;
        return ReadInt(System.IO.Path.Combine(folder, "tokenizer_config.json"), "model_max_length");
    }

    private static int? ReadInt(string path, string name)
    {
        if (!System.IO.File.Exists(path))
            return null;
        using var doc = ModelJson.Read(path);
        // transformers writes a huge sentinel (1e30) when a tokenizer has no limit of its own.
        return doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
               && v.TryGetDouble(out double d) && d is > 0 and < int.MaxValue
            ? (int)d
            : null;
    }
}
