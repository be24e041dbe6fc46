using System.Text.Json;

namespace RerankKit.Models;

/// <summary>A resolved local model folder: its config, what kind of model it is, how it pools and scores, and the
/// longest input it takes.</summary>
public sealed class ModelFolder
{
    /// <summary>The Qwen3-Reranker model card scores with <c>max_length=8192</c>, far below the model's positions.</summary>
    private const int LlmRerankerMaxLength = 8192;

    private ModelFolder(string path, ModelConfig config, ModelKind kind, ScoreRule scoreRule, PoolingConfig pooling, bool normalize, PromptConfig prompts,
        int maxLength, int positionLimit)
    {
        Path = path;
        Config = config;
        Kind = kind;
        ScoreRule = scoreRule;
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

    /// <summary>How a cross-encoder scores: a classification head, or an LLM's yes/no answer.</summary>
    public ScoreRule ScoreRule { get; }

    /// <summary>The model's family (known for every folder that opens).</summary>
    public ModelFamily Family => Config.Family!;

    /// <summary>Whether batches are padded on the left: decoders, as their model cards do, so that every row's last
    /// real token sits at the last position.</summary>
    public bool PadsLeft => Family.IsDecoder;

    /// <summary>The label names in id order (one for a one-score model).</summary>
    public IReadOnlyList<string> Labels => Config.Labels;

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
        RefuseRemoteCode(path, config);

        var (kind, scoreRule) = KindOf(config, path);
        var (pooling, normalize) = kind == ModelKind.BiEncoder ? ReadModules(path) : (PoolingConfig.Default, false);
        var prompts = kind == ModelKind.BiEncoder ? PromptConfig.Load(path) : PromptConfig.None;
        int positionLimit = config.MaxPositionEmbeddings - (config.Family!.RobertaPositions ? config.PadTokenId + 1 : 0);
        int? configuredLength = ConfiguredMaxLength(path, kind);
        if (scoreRule == ScoreRule.YesNoLastToken)
            configuredLength = Math.Min(configuredLength ?? LlmRerankerMaxLength, LlmRerankerMaxLength);
        int configured = configuredLength is { } n ? Math.Min(n, positionLimit) : positionLimit;
        int maxLength = configured;
        if (maxLengthOverride is { } requested)
        {
            if (requested < 4 || requested > positionLimit)
                throw new ArgumentException($"max length {requested} is out of range for this model (4..{positionLimit})");
            maxLength = requested;
        }
        return new ModelFolder(System.IO.Path.GetFullPath(path), config, kind, scoreRule, pooling, normalize, prompts, maxLength, positionLimit);
    }

    /// <summary>transformers runs the classes <c>auto_map</c> names from the repository's own Python files; RerankKit
    /// cannot, and a graph exported from such code may follow conventions no config states.</summary>
    private static void RefuseRemoteCode(string folder, ModelConfig config)
    {
        string configPath = System.IO.Path.Combine(folder, "config.json");
        if (config.AutoMap is { } classes)
            throw new ModelLoadException($"{configPath} has auto_map ({classes}): the model needs remote code, which RerankKit does not run");
        string tokenizerConfig = System.IO.Path.Combine(folder, "tokenizer_config.json");
        if (System.IO.File.Exists(tokenizerConfig))
        {
            using var doc = ModelJson.Read(tokenizerConfig);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("auto_map", out var map))
                throw new ModelLoadException($"{tokenizerConfig} has auto_map ({map.GetRawText()}): the tokenizer needs remote code, which RerankKit does not run");
        }
    }

    /// <summary>sentence-transformers' rule first: a <c>*ForSequenceClassification</c> is a cross-encoder, a folder with
    /// sentence-transformers modules (or a bare <c>*Model</c>) a bi-encoder whatever head its config names. A decoder's
    /// <c>*ForCausalLM</c> without modules is an LLM reranker in the Qwen3-Reranker style.</summary>
    private static (ModelKind Kind, ScoreRule Rule) KindOf(ModelConfig config, string path)
    {
        string configPath = System.IO.Path.Combine(path, "config.json");
        if (config.Family is not { } family)
            throw new ModelLoadException($"unknown architecture {(config.Architecture.Length > 0 ? config.Architecture : "(none)")} " +
                $"(model_type {config.ModelType}) in {configPath} (supported model types: {string.Join(", ", ModelFamily.All.Select(f => f.ModelType))})");
        string arch = config.Architecture;
        bool sentenceTransformers = System.IO.File.Exists(System.IO.Path.Combine(path, "modules.json"));
        if (config.IsSequenceClassification)
            return (ModelKind.CrossEncoder, ScoreRule.Classifier);
        bool bareModel = arch.EndsWith("Model", StringComparison.Ordinal) && !arch.Contains("For", StringComparison.Ordinal)
            && !arch.EndsWith("HeadModel", StringComparison.Ordinal);
        if (sentenceTransformers || bareModel)
            return (ModelKind.BiEncoder, ScoreRule.Classifier);
        if (family.IsDecoder && arch.EndsWith("ForCausalLM", StringComparison.Ordinal))
            return (ModelKind.CrossEncoder, ScoreRule.YesNoLastToken);
        string shown = arch.Length > 0 ? arch : "(none)";
        throw new ModelLoadException(
            $"unknown architecture {shown} in {configPath} (supported: *ForSequenceClassification cross-encoders, " +
            "*Model or sentence-transformers bi-encoders, and Qwen3 *ForCausalLM rerankers)");
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
