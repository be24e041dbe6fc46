using Microsoft.Extensions.Logging;
using RerankKit.Caching;
using RerankKit.Hub;
using RerankKit.Diagnostics;
using RerankKit.Inference;
using RerankKit.Models;
using RerankKit.Tokenization;

namespace RerankKit;

/// <summary>A Hugging Face cross-encoder (<c>*ForSequenceClassification</c>, one label or several) or an LLM reranker
/// in the Qwen3-Reranker style that scores (query, document) pairs, as sentence-transformers' <c>CrossEncoder</c>.
/// Safe for concurrent callers.</summary>
public sealed class CrossEncoder : ICrossEncoder, ITokenizedModel
{
    private readonly IEncoderBackend _backend;
    private readonly CrossEncoderOptions _options;
    private readonly Lazy<string> _cacheIdentity;
    private readonly RerankerPromptTokenizer? _prompt;

    /// <summary>An LLM's [rows, sequence, vocabulary] logits are materialized by the graph; batches are split so that
    /// one run's stay under this many floats (512 MB).</summary>
    private const long LogitsBudget = 1L << 27;

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
        bool llm = folder.ScoreRule == ScoreRule.YesNoLastToken;
        if (options.Instruction is not null && !llm)
            throw new ArgumentException($"{modelName} is not an LLM reranker; an instruction applies to those only");
        Labels = llm ? ["yes"] : folder.Labels;
        if (options.LongDocuments is not null && (llm || Labels.Count > 1))
            throw new ArgumentException($"{modelName}: long-document windows need a one-label classifier cross-encoder");
        ModelName = modelName;
        Folder = folder;
        _prompt = llm ? new RerankerPromptTokenizer(tokenizer, RerankerPromptTemplate.Qwen3, options.Instruction) : null;
        Tokenizer = _prompt ?? tokenizer;
        _backend = backend;
        _options = options;
        // sigmoid(logit(yes) - logit(no)) is the model card's softmax over {no, yes}.
        DefaultActivation = options.ActivationFn ?? (llm ? ScoreActivation.Sigmoid : folder.DefaultActivation);
        string? windows = options.LongDocuments is { } longDocs ? $"|stride={longDocs.Stride?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}" : null;
        string? scoring = _prompt is { } p ? $"{windows}|instruction={p.Instruction}" : windows;
        _cacheIdentity = new Lazy<string>(() => ModelCacheIdentity.Of(modelName, folder, options, scoring));
        options.Logger?.LogInformation("Loaded cross-encoder {Model} ({Architecture}, max length {MaxLength}, activation {Activation})",
            modelName, folder.Config.Architecture, folder.MaxLength, DefaultActivation);
    }

    public string ModelName { get; }

    public ModelFolder Folder { get; }

    public ITextTokenizer Tokenizer { get; }

    public ScoreActivation DefaultActivation { get; }

    /// <summary>The label names in id order: one for a one-score model (an LLM reranker's is "yes"), several for an NLI
    /// model.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>An LLM reranker's instruction, null for other cross-encoders.</summary>
    public string? Instruction => _prompt?.Instruction;

    /// <summary>The model name with its revision (hub commit, or a hash of a plain folder's config and files), the
    /// ONNX file, the engine, the max length and long-document windowing, so that variants never share cached scores.</summary>
    public string CacheIdentity => _cacheIdentity.Value;

    /// <summary>Longest pair in tokens, special tokens included.</summary>
    public int MaxLength => Folder.MaxLength;

    /// <summary>The tokens a pair is scored on (the first window when long documents are windowed).</summary>
    public EncodedInput Tokenize(string query, string document) => Tokenizer.EncodePair(query, document, MaxLength);

    /// <summary>One score per pair. A model with several labels has no one score: that is a
    /// <see cref="MultiLabelModelException"/> (use <see cref="PredictLabels"/>), and so <c>Rank</c> refuses it too.</summary>
    public float[] Predict(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (Labels.Count > 1)
            throw new MultiLabelModelException($"{ModelName} has {Labels.Count} labels ({string.Join(", ", Labels)}): " +
                "one score per pair (and ranking) needs a one-label model; use PredictLabels (rerankkit score) for every label's score");
        options ??= new PredictOptions();
        var activation = options.ActivationFn ?? DefaultActivation;
        var logits = PredictLogits(pairs, options.BatchSize, cancellationToken);
        for (int i = 0; i < logits.Length; i++)
            logits[i] = ActivationRule.Apply(activation, logits[i]);
        return logits;
    }

    /// <summary>Every label's score per pair, [pair][label] in <see cref="Labels"/> order, as sentence-transformers'
    /// <c>predict</c> returns for a model with several labels: the activation, then softmax when
    /// <see cref="PredictOptions.ApplySoftmax"/> is set and the model has more than one label.</summary>
    public float[][] PredictLabels(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PredictOptions();
        var activation = options.ActivationFn ?? DefaultActivation;
        var logits = PredictLogits(pairs, options.BatchSize, cancellationToken);
        int labels = Labels.Count;
        var result = new float[pairs.Count][];
        for (int p = 0; p < result.Length; p++)
        {
            var row = logits.AsSpan(p * labels, labels).ToArray();
            for (int j = 0; j < labels; j++)
                row[j] = ActivationRule.Apply(activation, row[j]);
            if (options.ApplySoftmax && labels > 1)
                System.Numerics.Tensors.TensorPrimitives.SoftMax(row, row);
            result[p] = row;
        }
        return result;
    }

    public Task<float[]> PredictAsync(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Predict(pairs, options, cancellationToken), cancellationToken);

    /// <summary>Raw logits, row-major [pair, label], in input order.</summary>
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
        if (_options.LongDocuments is null)
            return windowLogits;
        var result = new float[pairs.Count];
        Array.Fill(result, float.NegativeInfinity);
        for (int i = 0; i < windowLogits.Length; i++)
            result[owner[i]] = MathF.Max(result[owner[i]], windowLogits[i]);
        return result;
    }

    /// <summary>Raw logits of already tokenized inputs, row-major [input, label], in input order.</summary>
    internal float[] RunEncoded(IReadOnlyList<EncodedInput> inputs, int batchSize, CancellationToken cancellationToken)
    {
        int labels = Labels.Count;
        var logits = new float[inputs.Count * labels];
        RerankKitTelemetry.Pairs.Add(inputs.Count, new KeyValuePair<string, object?>("model", ModelName));
        foreach (int[] planned in TokenBatcher.Plan(inputs, batchSize))
        {
            foreach (int[] indices in _prompt is null ? [planned] : SplitForLogits(inputs, planned))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = TokenBatcher.Pad(inputs, indices, Tokenizer.PadTokenId, Folder.PadsLeft);
                using var run = RerankKitTelemetry.ActivitySource.StartActivity("rerankkit.run");
                run?.SetTag("rerankkit.batch_size", batch.BatchSize);
                run?.SetTag("rerankkit.sequence_length", batch.SequenceLength);
                if (_prompt is { } prompt)
                {
                    var rows = _backend.RunLastTokenLogits(batch, cancellationToken);
                    int vocabulary = rows.Length / indices.Length;
                    for (int row = 0; row < indices.Length; row++)
                        logits[indices[row]] = rows[row * vocabulary + prompt.YesTokenId] - rows[row * vocabulary + prompt.NoTokenId];
                }
                else
                {
                    var output = _backend.RunClassifier(batch, cancellationToken);
                    for (int row = 0; row < indices.Length; row++)
                        output.AsSpan(row * labels, labels).CopyTo(logits.AsSpan(indices[row] * labels));
                }
            }
        }
        return logits;
    }

    /// <summary>Splits a planned batch (longest first) so that its logits stay within <see cref="LogitsBudget"/>.</summary>
    private IEnumerable<int[]> SplitForLogits(IReadOnlyList<EncodedInput> inputs, int[] planned)
    {
        long perRow = (long)inputs[planned[0]].Length * Math.Max(1, Folder.Config.VocabSize);
        int rows = (int)Math.Clamp(LogitsBudget / perRow, 1, planned.Length);
        return planned.Chunk(rows);
    }

    private static Task<LoadedModel> Load(string modelNameOrPath, CrossEncoderOptions o, CancellationToken cancellationToken) =>
        LoadedModel.LoadAsync(modelNameOrPath, ModelKind.CrossEncoder, o.MaxLength, o.Engine, o.BackendSettings, o.Hub, o.Logger, cancellationToken);

    public void Dispose() => _backend.Dispose();
}
