using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using RerankKit.Diagnostics;
using RerankKit.Inference;
using RerankKit.Models;
using RerankKit.Tokenization;

namespace RerankKit;

/// <summary>A sentence-transformers bi-encoder (transformer, Pooling, optional Normalize) that embeds texts one by
/// one, as sentence-transformers' <c>SentenceTransformer.encode</c>. Safe for concurrent callers.</summary>
public sealed class BiEncoder : IBiEncoder, ITokenizedModel, IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly IEncoderBackend _backend;
    private readonly BiEncoderOptions _options;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Loads a bi-encoder from a folder or a hub id (through the Hugging Face cache), blocking on any
    /// download; <see cref="LoadAsync"/> does not block.</summary>
    public BiEncoder(string modelNameOrPath, BiEncoderOptions? options = null)
        : this(modelNameOrPath, Load(modelNameOrPath, options ??= new BiEncoderOptions(), CancellationToken.None).GetAwaiter().GetResult(), options)
    {
    }

    /// <summary>Loads a bi-encoder from a folder or a hub id; a download is asynchronous and cancellable.</summary>
    public static async Task<BiEncoder> LoadAsync(string modelNameOrPath, BiEncoderOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new BiEncoderOptions();
        var loaded = await Load(modelNameOrPath, options, cancellationToken).ConfigureAwait(false);
        return new BiEncoder(modelNameOrPath, loaded, options);
    }

    private BiEncoder(string modelName, LoadedModel loaded, BiEncoderOptions options)
        : this(modelName, loaded.Folder, loaded.Tokenizer, loaded.Backend, options)
    {
    }

    internal BiEncoder(string modelName, ModelFolder folder, ITextTokenizer tokenizer, IEncoderBackend backend, BiEncoderOptions options)
    {
        if (folder.Kind != ModelKind.BiEncoder)
            throw new ModelLoadException($"{modelName} is a cross-encoder ({folder.Config.Architecture}), not a bi-encoder; use CrossEncoder");
        ModelName = modelName;
        Folder = folder;
        Tokenizer = tokenizer;
        _backend = backend;
        _options = options;
        _metadata = new EmbeddingGeneratorMetadata("RerankKit", null, modelName, Dimension);
        options.Logger?.LogInformation("Loaded bi-encoder {Model} ({Pooling} pooling, normalize {Normalize}, max length {MaxLength})",
            modelName, folder.Pooling, NormalizesByDefault, folder.MaxLength);
    }

    public string ModelName { get; }

    public ModelFolder Folder { get; }

    public ITextTokenizer Tokenizer { get; }

    public int Dimension => Folder.Config.HiddenSize;

    public int MaxLength => Folder.MaxLength;

    public PoolingMode Pooling => Folder.Pooling;

    /// <summary>Whether <see cref="Encode"/> normalizes when the call does not say.</summary>
    public bool NormalizesByDefault => _options.Normalize ?? Folder.Normalize;

    public EncodedInput Tokenize(string text) => Tokenizer.Encode(text, MaxLength);

    public float[][] Encode(IReadOnlyList<string> texts, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        EncodeWith(texts, options, EncodeSteps.All, cancellationToken);

    /// <summary><see cref="Encode(IReadOnlyList{string}, EncodeOptions?, CancellationToken)"/> with only the given steps
    /// of the encoding path, for the benchmark that measures each.</summary>
    internal float[][] EncodeWith(IReadOnlyList<string> texts, EncodeOptions? options, EncodeSteps steps, CancellationToken cancellationToken)
    {
        options ??= new EncodeOptions();
        bool normalize = options.NormalizeEmbeddings ?? NormalizesByDefault;
        int keep = KeptDimensions(options.TruncateDim);
        string? prompt = Folder.PromptConfig.Resolve(options.Prompt, options.PromptName);
        int skipLeading = 0;
        if (!string.IsNullOrEmpty(prompt))
        {
            texts = texts.Select(t => prompt + t).ToArray();
            // sentence-transformers' prompt_length: the prompt tokenized alone, less its closing [SEP], so [CLS] and
            // the prompt's own tokens are what include_prompt=false leaves out.
            if (!Folder.IncludePrompt)
                skipLeading = Tokenizer.Encode(prompt, MaxLength).Length - 1;
        }
        // Every text is tokenized before the first batch: sorting the whole input by token length needs every length.
        EncodedInput[] inputs;
        using (var tokenize = RerankKitTelemetry.ActivitySource.StartActivity("rerankkit.tokenize"))
        {
            tokenize?.SetTag("rerankkit.texts", texts.Count);
            inputs = texts.Select(t => Tokenizer.Encode(t, MaxLength)).ToArray();
        }
        var result = new float[texts.Count][];
        RerankKitTelemetry.Texts.Add(texts.Count, new KeyValuePair<string, object?>("model", ModelName));
        int done = 0;
        var plan = TokenBatcher.Plan(inputs, options.BatchSize, steps.HasFlag(EncodeSteps.SortWhole));

        TokenBatch Pad(int[] indices) => TokenBatcher.Pad(inputs, indices, Tokenizer.PadTokenId, Folder.PadsLeft);

        void Store(int[] indices, TokenBatch batch, ReadOnlySpan<float> hidden)
        {
            for (int row = 0; row < indices.Length; row++)
            {
                var vector = EmbeddingPooling.Pool(hidden, batch, row, Dimension, Pooling, skipLeading);
                if (keep < vector.Length)
                    vector = vector[..keep];
                if (normalize)
                    EmbeddingPooling.Normalize(vector);
                result[indices[row]] = vector;
            }
        }

        void RunBatch(int[] indices, TokenBatch batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var run = RerankKitTelemetry.ActivitySource.StartActivity("rerankkit.run"))
            {
                run?.SetTag("rerankkit.batch_size", batch.BatchSize);
                run?.SetTag("rerankkit.sequence_length", batch.SequenceLength);
                if (steps.HasFlag(EncodeSteps.ReadInPlace))
                    _backend.ReadHiddenStates(batch, hidden => Store(indices, batch, hidden), cancellationToken);
                else
                    Store(indices, batch, _backend.RunHiddenStates(batch, cancellationToken));
            }
            done += indices.Length;
            options.Progress?.Report(done);
        }

        if (steps.HasFlag(EncodeSteps.Overlap))
        {
            // Two padded batches ahead at most: enough to hide the padding, little memory held.
            PrefetchPipeline.Run(plan, Pad, RunBatch, capacity: 2, cancellationToken);
        }
        else
        {
            foreach (int[] indices in plan)
                RunBatch(indices, Pad(indices));
        }
        return result;
    }

    public Task<float[][]> EncodeAsync(IReadOnlyList<string> texts, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Encode(texts, options, cancellationToken), cancellationToken);

    public float[][] EncodeQuery(IReadOnlyList<string> queries, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        Encode(queries, WithPromptName(options, Folder.PromptConfig.QueryPromptName), cancellationToken);

    public Task<float[][]> EncodeQueryAsync(IReadOnlyList<string> queries, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        EncodeAsync(queries, WithPromptName(options, Folder.PromptConfig.QueryPromptName), cancellationToken);

    public float[][] EncodeDocument(IReadOnlyList<string> documents, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        Encode(documents, WithPromptName(options, Folder.PromptConfig.DocumentPromptName), cancellationToken);

    public Task<float[][]> EncodeDocumentAsync(IReadOnlyList<string> documents, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        EncodeAsync(documents, WithPromptName(options, Folder.PromptConfig.DocumentPromptName), cancellationToken);

    /// <summary>The role's prompt unless the caller chose one; a model without it falls back to
    /// <see cref="Encode"/>'s default, as sentence-transformers' encode_query and encode_document do.</summary>
    private static EncodeOptions? WithPromptName(EncodeOptions? options, string? roleName)
    {
        if (roleName is null || options?.Prompt is not null || options?.PromptName is not null)
            return options;
        return (options ?? new EncodeOptions()) with { PromptName = roleName };
    }

    private int KeptDimensions(int? truncateDim) => truncateDim switch
    {
        null => Dimension,
        >= 1 and var n when n <= Dimension => n,
        var n => throw new ArgumentException($"truncate_dim {n} is out of range for {ModelName} (1..{Dimension})"),
    };

    /// <summary>The <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> key naming a prompt of the model, as
    /// <see cref="EncodeOptions.PromptName"/> (e.g. <c>"query"</c>); without it the model's default prompt applies.</summary>
    public const string PromptNameProperty = "prompt_name";

    /// <summary>The <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> key carrying a literal prompt, as
    /// <see cref="EncodeOptions.Prompt"/>.</summary>
    public const string PromptProperty = "prompt";

    async Task<GeneratedEmbeddings<Embedding<float>>> IEmbeddingGenerator<string, Embedding<float>>.GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options, CancellationToken cancellationToken)
    {
        var encode = new EncodeOptions
        {
            TruncateDim = options?.Dimensions,
            PromptName = options?.AdditionalProperties?.TryGetValue(PromptNameProperty, out string? name) == true ? name : null,
            Prompt = options?.AdditionalProperties?.TryGetValue(PromptProperty, out string? prompt) == true ? prompt : null,
        };
        var vectors = await EncodeAsync(values.ToArray(), encode, cancellationToken).ConfigureAwait(false);
        var created = DateTimeOffset.UtcNow;
        return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = ModelName, CreatedAt = created }));
    }

    object? IEmbeddingGenerator.GetService(Type serviceType, object? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata))
            return _metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    private static Task<LoadedModel> Load(string modelNameOrPath, BiEncoderOptions o, CancellationToken cancellationToken) =>
        LoadedModel.LoadAsync(modelNameOrPath, ModelKind.BiEncoder, o.MaxLength, o.Engine, o.BackendSettings, o.Hub, o.Logger, cancellationToken);

    public void Dispose() => _backend.Dispose();
}
