using RerankKit.Diagnostics;
using RerankKit.Hub;
using RerankKit.Inference;
using RerankKit.Models;
using RerankKit.Tokenization;

namespace RerankKit.LateInteraction;

/// <summary>A PyLate ColBERT (BERT + <c>1_Dense</c> projection): encodes queries and documents into L2-normalised
/// token vectors exactly as PyLate's <c>tokenize</c>/<c>encode</c> do, for <see cref="MaxSim"/> scoring. Queries get
/// the query prefix after <c>[CLS]</c> and are padded to the query length with <c>[MASK]</c> (attention 0 unless
/// <see cref="ColBertSettings.AttendToExpansionTokens"/>), and every query vector is kept; documents get the document
/// prefix, and the vectors of skiplist tokens are dropped. Safe for concurrent callers.</summary>
public sealed class ColBert : IDisposable, ITokenizedModel
{
    public const string OnnxFile = "onnx/model.onnx";
    public const string DenseFolder = "1_Dense";

    private readonly WordPieceTokenizer _tokenizer;
    private readonly OnnxEncoderBackend _backend;
    private readonly DenseProjection _dense;
    private readonly int _batchSize;
    private readonly int _queryPrefixId;
    private readonly int _documentPrefixId;
    private readonly int _maskId;
    private readonly HashSet<int> _skiplist;

    private ColBert(string modelName, string folder, WordPieceTokenizer tokenizer, OnnxEncoderBackend backend, DenseProjection dense,
        ColBertSettings settings, int batchSize)
    {
        if (batchSize < 1)
            throw new ArgumentException($"batch size must be at least 1, not {batchSize}");
        if (settings.QueryLength < 4 || settings.DocumentLength < 4)
            throw new ModelLoadException($"{folder}: query_length and document_length must be at least 4 ([CLS], prefix, a token, [SEP])");
        ModelName = modelName;
        Folder = folder;
        Settings = settings;
        _tokenizer = tokenizer;
        _backend = backend;
        _dense = dense;
        _batchSize = batchSize;
        _queryPrefixId = RequireId(settings.QueryPrefix, "query_prefix");
        _documentPrefixId = RequireId(settings.DocumentPrefix, "document_prefix");
        // PyLate pads with the mask token (it sets pad_token = mask_token): the [MASK] query expansion.
        _maskId = RequireId("[MASK]", "mask token");
        _skiplist = settings.SkiplistWords.Select(w => tokenizer.TokenId(w)).OfType<int>().ToHashSet();
    }

    public static async Task<ColBert> LoadAsync(string modelNameOrPath, ColBertOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ColBertOptions();
        using var activity = RerankKitTelemetry.ActivitySource.StartActivity("rerankkit.load");
        activity?.SetTag("rerankkit.model", modelNameOrPath);
        string onnx = options.OnnxFile ?? OnnxFile;
        var files = new ModelFiles(["config.json", onnx, ColBertSettings.FileName, $"{DenseFolder}/config.json", $"{DenseFolder}/model.safetensors"],
            ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "modules.json"]);
        string folder = await ModelLocator.ResolveAsync(modelNameOrPath, files, options.Hub, options.Logger, cancellationToken).ConfigureAwait(false);
        return Open(modelNameOrPath, folder, options);
    }

    internal static ColBert Open(string modelName, string folder, ColBertOptions options)
    {
        var settings = ColBertSettings.Load(folder);
        var tokenizer = TokenizerFactory.FromFolder(folder) as WordPieceTokenizer
            ?? throw new ModelLoadException($"{folder}: ColBERT models here are BERT with a WordPiece tokenizer");
        var dense = DenseProjection.Load(Path.Combine(folder, DenseFolder));
        var backend = new OnnxEncoderBackend(Path.Combine(folder, options.OnnxFile ?? OnnxFile), options.BackendSettings, ModelKind.BiEncoder);
        try
        {
            return new ColBert(modelName, Path.GetFullPath(folder), tokenizer, backend, dense, settings, options.BatchSize);
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }

    public string ModelName { get; }

    public string Folder { get; }

    public ColBertSettings Settings { get; }

    public ITextTokenizer Tokenizer => _tokenizer;

    /// <summary>Dimensions of a token vector (the Dense module's <c>out_features</c>).</summary>
    public int Dimension => _dense.OutFeatures;

    /// <summary>One query's input: ids, attention mask and which positions keep their vector (all of them).</summary>
    internal ColBertInput QueryInput(string query)
    {
        var encoded = _tokenizer.Encode(query.Trim(), Settings.QueryLength - 1);
        var ids = Insert(encoded.InputIds, _queryPrefixId);
        var mask = Enumerable.Repeat(1L, ids.Count).ToList();
        if (Settings.DoQueryExpansion)
        {
            while (ids.Count < Settings.QueryLength)
            {
                ids.Add(_maskId);
                mask.Add(Settings.AttendToExpansionTokens ? 1 : 0);
            }
        }
        return new ColBertInput(ids.ToArray(), mask.ToArray(), Enumerable.Range(0, ids.Count).ToArray());
    }

    /// <summary>One document's input: ids (all attended) and the positions whose token is not in the skiplist.</summary>
    internal ColBertInput DocumentInput(string document)
    {
        var encoded = _tokenizer.Encode(document.Trim(), Settings.DocumentLength - 1);
        var ids = Insert(encoded.InputIds, _documentPrefixId).ToArray();
        return new ColBertInput(ids, Enumerable.Repeat(1L, ids.Length).ToArray(),
            Enumerable.Range(0, ids.Length).Where(i => !_skiplist.Contains(ids[i])).ToArray());
    }

    public TokenVectors[] EncodeQueries(IReadOnlyList<string> queries, CancellationToken cancellationToken = default) =>
        Encode(queries.Select(QueryInput).ToArray(), cancellationToken);

    public TokenVectors[] EncodeDocuments(IReadOnlyList<string> documents, CancellationToken cancellationToken = default) =>
        Encode(documents.Select(DocumentInput).ToArray(), cancellationToken);

    /// <summary>Runs inputs batched by length (padding with <c>[MASK]</c> and attention 0, as PyLate does) and keeps
    /// each input's kept positions, projected and normalised.</summary>
    internal TokenVectors[] Encode(IReadOnlyList<ColBertInput> inputs, CancellationToken cancellationToken)
    {
        var result = new TokenVectors[inputs.Count];
        var lengths = inputs.Select(i => new EncodedInput(i.Ids, [], [])).ToArray();
        foreach (int[] indices in TokenBatcher.Plan(lengths, _batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            int length = indices.Max(i => inputs[i].Ids.Length);
            var ids = new long[indices.Length * length];
            var mask = new long[indices.Length * length];
            Array.Fill(ids, _maskId);
            for (int row = 0; row < indices.Length; row++)
            {
                var input = inputs[indices[row]];
                for (int t = 0; t < input.Ids.Length; t++)
                {
                    ids[row * length + t] = input.Ids[t];
                    mask[row * length + t] = input.Mask[t];
                }
            }
            var batch = new TokenBatch(ids, mask, new long[ids.Length], indices.Length, length);
            float[] hidden = _backend.RunHiddenStates(batch, cancellationToken);
            int hiddenSize = hidden.Length / (indices.Length * length);
            if (hiddenSize != _dense.InFeatures)
                throw new ModelLoadException($"{Folder}: the encoder gives {hiddenSize} dimensions, the Dense module takes {_dense.InFeatures}");
            for (int row = 0; row < indices.Length; row++)
            {
                var input = inputs[indices[row]];
                var values = new float[input.Kept.Length * Dimension];
                for (int k = 0; k < input.Kept.Length; k++)
                {
                    var state = hidden.AsSpan((row * length + input.Kept[k]) * hiddenSize, hiddenSize);
                    _dense.ProjectNormalized(state, values.AsSpan(k * Dimension, Dimension));
                }
                result[indices[row]] = new TokenVectors(values, input.Kept.Length, Dimension,
                    input.Kept.Select(p => _tokenizer.Token(input.Ids[p])).ToArray());
            }
        }
        return result;
    }

    private static List<int> Insert(int[] ids, int prefixId)
    {
        var list = new List<int>(ids.Length + 1) { ids[0], prefixId };
        list.AddRange(ids.Skip(1));
        return list;
    }

    private int RequireId(string token, string what) =>
        _tokenizer.TokenId(token) ?? throw new ModelLoadException($"{Folder}: the vocabulary has no {what} token '{token}'");

    public void Dispose() => _backend.Dispose();
}

/// <summary>One ColBERT input before batching: ids, attention mask, and the positions whose vectors are kept.</summary>
internal sealed record ColBertInput(int[] Ids, long[] Mask, int[] Kept);
