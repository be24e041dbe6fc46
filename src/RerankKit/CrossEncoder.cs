using Microsoft.Extensions.Logging;
using RerankKit.Caching;
using RerankKit.Hub;
using RerankKit.Diagnostics;
using RerankKit.Inference;
using RerankKit.Models;
using RerankKit.Tokenization;

namespace RerankKit;

/// <summary>A Hugging Face cross-encoder (<c>*ForSequenceClassification</c>) that scores (query, document) pairs,
/// as sentence-transformers' <c>CrossEncoder</c>. Safe for concurrent callers.</summary>
public sealed class CrossEncoder : ICrossEncoder, ITokenizedModel
{
    private readonly IEncoderBackend _backend;
    private readonly CrossEncoderOptions _options;
    private readonly Lazy<string> _cacheIdentity;

    /// <summary>Loads a cross-encoder from a folder or a hub id (through the Hugging Face cache), blocking on any
    /// download; <see cref="LoadAsync"/> does not block.</summary>
    public CrossEncoder(string modelNameOrPath, CrossEncoderOptions? options = null)
        : this(modelNameOrPath, Load(modelNameOrPath, options ??= new CrossEncoderOptions(), CancellationToken.None).GetAwaiter().GetResult(), options)
    {
    }

    /// <summary>Loads a cross-encoder from a folder or a hub id; a download is asynchronous and cancellable.</summary>
    public static async Task<CrossEncoder> LoadAsync(string modelNameOrPath, CrossEncoderOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new CrossEncoderOptions();
        var loaded = await Load(modelNameOrPath, options, cancellationToken).ConfigureAwait(false);
        return new CrossEncoder(modelNameOrPath, loaded, options);
    }

    private CrossEncoder(string modelName, LoadedModel loaded, CrossEncoderOptions options)
        : this(modelName, loaded.Folder, loaded.Tokenizer, loaded.Backend, options)
    {
    }

    internal CrossEncoder(string modelName, ModelFolder folder, ITextTokenizer tokenizer, IEncoderBackend backend, CrossEncoderOptions options)
    {
        if (folder.Kind != ModelKind.CrossEncoder)
            throw new ModelLoadException($"{modelName} is a bi-encoder ({folder.Config.Architecture}), not a cross-encoder; use BiEncoder");
        if (folder.Config.NumLabels != 1)
            throw new ModelLoadException($"{modelName} has {folder.Config.NumLabels} labels; only one-score cross-encoders are supported");
        ModelName = modelName;
        Folder = folder;
        Tokenizer = tokenizer;
        _backend = backend;
        _options = options;
        DefaultActivation = options.ActivationFn ?? folder.DefaultActivation;
        string? windows = options.LongDocuments is { } longDocs ? $"|stride={longDocs.Stride?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}" : null;
        _cacheIdentity = new Lazy<string>(() => ModelCacheIdentity.Of(modelName, folder, options, windows));
        options.Logger?.LogInformation("Loaded cross-encoder {Model} ({Architecture}, max length {MaxLength}, activation {Activation})",
            modelName, folder.Config.Architecture, folder.MaxLength, DefaultActivation);
    }

    public string ModelName { get; }

    public ModelFolder Folder { get; }

    public ITextTokenizer Tokenizer { get; }

    public ScoreActivation DefaultActivation { get; }

    /// <summary>The model name with its revision (hub commit, or a hash of a plain folder's config and files), the
    /// ONNX file, the engine, the max length and long-document windowing, so that variants never share cached scores.</summary>
    public string CacheIdentity => _cacheIdentity.Value;

    /// <summary>Longest pair in tokens, special tokens included.</summary>
    public int MaxLength => Folder.MaxLength;

    /// <summary>The tokens a pair is scored on (the first window when long documents are windowed).</summary>
    public EncodedInput Tokenize(string query, string document) => Tokenizer.EncodePair(query, document, MaxLength);

    public float[] Predict(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PredictOptions();
        var activation = options.ActivationFn ?? DefaultActivation;
        var logits = PredictLogits(pairs, options.BatchSize, cancellationToken);
        for (int i = 0; i < logits.Length; i++)
            logits[i] = ActivationRule.Apply(activation, logits[i]);
        return logits;
    }

    public Task<float[]> PredictAsync(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Predict(pairs, options, cancellationToken), cancellationToken);

    /// <summary>Raw logits, one per pair, in input order.</summary>
    internal float[] PredictLogits(IReadOnlyList<(string Query, string Document)> pairs, int batchSize, CancellationToken cancellationToken)
    {
        var inputs = new List<EncodedInput>(pairs.Count);
        var owner = new List<int>(pairs.Count);
        using var tokenize = RerankKitTelemetry.ActivitySource.StartActivity("rerankkit.tokenize");
        tokenize?.SetTag("rerankkit.pairs", pairs.Count);
        for (int p = 0; p < pairs.Count; p++)
        {
            var (query, document) = pairs[p];
            if (_options.LongDocuments is { } longDocs)
            {
                foreach (var window in DocumentWindows.Encode(Tokenizer, query, document, MaxLength, longDocs.Stride))
                {
                    inputs.Add(window);
                    owner.Add(p);
                }
            }
            else
            {
                inputs.Add(Tokenizer.EncodePair(query, document, MaxLength));
                owner.Add(p);
            }
        }
        tokenize?.Stop();
        var windowLogits = RunEncoded(inputs, batchSize, cancellationToken);
        var result = new float[pairs.Count];
        Array.Fill(result, float.NegativeInfinity);
        for (int i = 0; i < windowLogits.Length; i++)
            result[owner[i]] = MathF.Max(result[owner[i]], windowLogits[i]);
        return result;
    }

    /// <summary>Raw logits of already tokenized inputs, in input order.</summary>
    internal float[] RunEncoded(IReadOnlyList<EncodedInput> inputs, int batchSize, CancellationToken cancellationToken)
    {
        var logits = new float[inputs.Count];
        RerankKitTelemetry.Pairs.Add(inputs.Count, new KeyValuePair<string, object?>("model", ModelName));
        foreach (int[] indices in TokenBatcher.Plan(inputs, batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = TokenBatcher.Pad(inputs, indices, Tokenizer.PadTokenId);
            using var run = RerankKitTelemetry.ActivitySource.StartActivity("rerankkit.run");
            run?.SetTag("rerankkit.batch_size", batch.BatchSize);
            run?.SetTag("rerankkit.sequence_length", batch.SequenceLength);
            var output = _backend.RunClassifier(batch, cancellationToken);
            for (int row = 0; row < indices.Length; row++)
                logits[indices[row]] = output[row];
        }
        return logits;
    }

    private static Task<LoadedModel> Load(string modelNameOrPath, CrossEncoderOptions o, CancellationToken cancellationToken) =>
        LoadedModel.LoadAsync(modelNameOrPath, ModelKind.CrossEncoder, o.MaxLength, o.Engine, o.BackendSettings, o.Hub, o.Logger, cancellationToken);

    public void Dispose() => _backend.Dispose();
}
