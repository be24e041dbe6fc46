using Microsoft.Extensions.Logging;
using RerankKit.Hub;
using RerankKit.Inference;
using RerankKit.Models;
using RerankKit.Tokenization;

namespace RerankKit;

/// <summary>A Hugging Face cross-encoder (<c>*ForSequenceClassification</c>) that scores (query, document) pairs,
/// as sentence-transformers' <c>CrossEncoder</c>. Safe for concurrent callers.</summary>
public sealed class CrossEncoder : ICrossEncoder
{
    private readonly IEncoderBackend _backend;
    private readonly CrossEncoderOptions _options;

    /// <summary>Loads a cross-encoder from a folder or a hub id (through the Hugging Face cache).</summary>
    public CrossEncoder(string modelNameOrPath, CrossEncoderOptions? options = null)
        : this(modelNameOrPath, Load(modelNameOrPath, options ??= new CrossEncoderOptions()), options)
    {
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
        options.Logger?.LogInformation("Loaded cross-encoder {Model} ({Architecture}, max length {MaxLength}, activation {Activation})",
            modelName, folder.Config.Architecture, folder.MaxLength, DefaultActivation);
    }

    public string ModelName { get; }

    public ModelFolder Folder { get; }

    public ITextTokenizer Tokenizer { get; }

    public ScoreActivation DefaultActivation { get; }

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

    public IReadOnlyList<RankedDocument> Rank(string query, IReadOnlyList<string> documents, int? topK = null, PredictOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (topK is < 0)
            throw new ArgumentException($"top_k must not be negative, not {topK}");
        var scores = Predict(documents.Select(d => (query, d)).ToArray(), options, cancellationToken);
        var ranked = Enumerable.Range(0, documents.Count)
            .OrderByDescending(i => scores[i])
            .ThenBy(i => i)
            .Select(i => new RankedDocument(i, scores[i], documents[i]));
        return (topK is { } k ? ranked.Take(k) : ranked).ToList();
    }

    /// <summary>Raw logits, one per pair, in input order.</summary>
    internal float[] PredictLogits(IReadOnlyList<(string Query, string Document)> pairs, int batchSize, CancellationToken cancellationToken)
    {
        var inputs = new List<EncodedInput>(pairs.Count);
        var owner = new List<int>(pairs.Count);
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
        foreach (int[] indices in TokenBatcher.Plan(inputs, batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var output = _backend.RunClassifier(TokenBatcher.Pad(inputs, indices, Tokenizer.PadTokenId));
            for (int row = 0; row < indices.Length; row++)
                logits[indices[row]] = output[row];
        }
        return logits;
    }

    private static LoadedModel Load(string modelNameOrPath, CrossEncoderOptions o) =>
        LoadedModel.Load(modelNameOrPath, ModelKind.CrossEncoder, o.MaxLength, o.Engine, o.OnnxFile, o.Threads, o.Hub, o.Logger);

    public void Dispose() => _backend.Dispose();
}
