using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using RerankKit.Models;
using RerankKit.Onnx;

namespace RerankKit.Inference;

/// <summary>Runs an ONNX export of an encoder with one <see cref="InferenceSession"/>, which ONNX Runtime allows
/// concurrent callers to share. Inputs are bound by name, and only those the graph declares: <c>input_ids</c> and
/// <c>attention_mask</c> always, <c>token_type_ids</c> where the family has them (BERT, ELECTRA) and
/// <c>position_ids</c> where a decoder export takes them (optimum's Qwen3 exports).</summary>
public sealed class OnnxEncoderBackend : IEncoderBackend
{
    /// <summary>The inputs RerankKit knows how to fill; a graph asking for any other (a with-past decoder's
    /// <c>past_key_values.*</c>) is refused on load.</summary>
    private static readonly string[] KnownInputs = ["input_ids", "attention_mask", "token_type_ids", "position_ids"];

    private readonly InferenceSession _session;
    private readonly string _firstOutput;
    private readonly string? _logitsOutput;
    private readonly string _hiddenOutput;
    private readonly int _maxTokensPerRun;

    /// <param name="onnxPath">The .onnx file.</param>
    /// <param name="settings">Threads, device and the session-options hook; null is one default CPU session.</param>
    /// <param name="role">The kind of model the graph must be: its scoring output is checked against it on load, so an
    /// embedder's export used as a classifier (or the reverse) fails here instead of scoring garbage.</param>
    /// <param name="scoreRule">For a cross-encoder, whether it reads a classifier's logits or an LLM's next-token logits.</param>
    public OnnxEncoderBackend(string onnxPath, BackendSettings? settings = null, ModelKind? role = null, ScoreRule scoreRule = ScoreRule.Classifier)
    {
        if (!File.Exists(onnxPath))
            throw new ModelLoadException($"ONNX weights not found: {onnxPath}");
        settings ??= new BackendSettings();
        if (settings.MaxTokensPerRun < 0)
            throw new ArgumentException($"MaxTokensPerRun must be 0 (whole batches) or more, not {settings.MaxTokensPerRun}");
        // Slicing keeps a CPU core's activations in cache; a GPU wants the whole batch.
        _maxTokensPerRun = Devices.CudaOrdinal(settings.Device) is null ? settings.MaxTokensPerRun : 0;
        using var options = CreateSessionOptions(settings.Threads);
        AddExecutionProvider(options, settings.Device);
        settings.ConfigureSessionOptions?.Invoke(options);
        try
        {
            _session = settings.FuseAttention && FusedModel(onnxPath) is { } fused
                ? new InferenceSession(fused.Model, options)
                : new InferenceSession(onnxPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"ONNX Runtime cannot load {onnxPath}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        var inputs = _session.InputMetadata.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (string required in new[] { "input_ids", "attention_mask" })
        {
            if (!inputs.Contains(required))
                throw new ModelLoadException($"{onnxPath} has no '{required}' input (inputs: {string.Join(", ", inputs)})");
        }
        if (inputs.FirstOrDefault(i => !KnownInputs.Contains(i)) is { } unknown)
        {
            _session.Dispose();
            throw new ModelLoadException($"{onnxPath} takes an input '{unknown}' that RerankKit does not feed " +
                $"(it feeds {string.Join(", ", KnownInputs)}; export a decoder without past key values)");
        }
        UsesTokenTypeIds = inputs.Contains("token_type_ids");
        UsesPositionIds = inputs.Contains("position_ids");
        _firstOutput = _session.OutputNames[0];
        _logitsOutput = _session.OutputNames.FirstOrDefault(n => n == "logits");
        // sentence-transformers' own exports also output sentence_embedding; optimum's feature-extraction names the
        // token states last_hidden_state, older exports token_embeddings.
        _hiddenOutput = _session.OutputNames.FirstOrDefault(n => n is "last_hidden_state" or "token_embeddings") ?? _firstOutput;
        OnnxPath = onnxPath;
        if (role is { } kind)
            CheckOutput(kind, scoreRule);
    }

    public string OnnxPath { get; }

    /// <summary>Whether the graph takes <c>token_type_ids</c> (BERT exports do, XLM-R exports do not).</summary>
    public bool UsesTokenTypeIds { get; }

    /// <summary>Whether the graph takes <c>position_ids</c> (decoder exports do).</summary>
    public bool UsesPositionIds { get; }

    /// <summary>The export with its attention fused, or null when there is none to fuse (or the file is past protobuf's
    /// 2 GiB, so its weights are external data and it loads from its path).</summary>
    private static AttentionFusion.Result? FusedModel(string onnxPath) =>
        new FileInfo(onnxPath).Length > AttentionFusion.MaxModelBytes ? null : AttentionFusion.TryFuse(File.ReadAllBytes(onnxPath));

    /// <summary>The session options of every RerankKit ONNX session. The memory-pattern planner is off because it
    /// plans for one input shape: with batches padded to their own longest input every shape differs, and leaving it
    /// on cost the spread-length rerank benchmark about 15% of its throughput (30.6 vs 35.7 pairs/s, p95 1.3x).
    /// Without a thread count every core the process may use runs the model, as PyTorch does: ONNX Runtime's own
    /// default counts physical cores from the CPU topology and ran one thread on this project's 2-core machine.</summary>
    internal static SessionOptions CreateSessionOptions(int? intraOpThreads)
    {
        int threads = intraOpThreads ?? Environment.ProcessorCount;
        if (threads < 1)
            throw new ArgumentException($"threads must be at least 1, not {threads}");
        return new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            EnableMemoryPattern = false,
            IntraOpNumThreads = threads,
        };
    }

    /// <summary>Asks for the CUDA execution provider and fails loudly when it cannot be had: a GPU request that
    /// silently ran on the CPU would be a slow surprise in production.</summary>
    internal static void AddExecutionProvider(SessionOptions options, string device)
    {
        if (Devices.CudaOrdinal(device) is not { } ordinal)
            return;
        try
        {
            options.AppendExecutionProvider_CUDA(ordinal);
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            throw new ModelLoadException($"device {device}: ONNX Runtime's CUDA execution provider is not available here " +
                $"(reference Microsoft.ML.OnnxRuntime.Gpu.Linux instead of Microsoft.ML.OnnxRuntime, and install CUDA 12 and cuDNN 9): " +
                e.Message.ReplaceLineEndings(" "), e);
        }
    }

    /// <summary>A cross-encoder scores from a [batch, num_labels] output, an LLM reranker from [batch, sequence,
    /// vocabulary] logits, a bi-encoder pools a [batch, sequence, hidden] one.</summary>
    private void CheckOutput(ModelKind role, ScoreRule scoreRule)
    {
        bool llm = role == ModelKind.CrossEncoder && scoreRule == ScoreRule.YesNoLastToken;
        var (output, rank, shape) = role == ModelKind.CrossEncoder
            ? (_logitsOutput ?? _firstOutput, llm ? 3 : 2, llm ? "[batch, sequence, vocabulary] logits" : "[batch, num_labels]")
            : (_hiddenOutput, 3, "[batch, sequence, hidden]");
        int actual = _session.OutputMetadata[output].Dimensions.Length;
        if (actual != rank)
        {
            string kind = llm ? "an LLM reranker" : role == ModelKind.CrossEncoder ? "a cross-encoder" : "a bi-encoder";
            string looksLike = llm ? "" : actual == 3 ? " (it looks like an embedder's export)" : actual == 2 ? " (it looks like a classifier's export)" : "";
            _session.Dispose();
            throw new ModelLoadException($"{OnnxPath} is not a graph for {kind}: its output '{output}' has rank {actual}, {kind} needs {shape}{looksLike}");
        }
    }

    public float[] RunClassifier(TokenBatch batch, CancellationToken cancellationToken = default) =>
        RunInSlices(batch, _logitsOutput ?? _firstOutput, static values => values.ToArray(), cancellationToken);

    public float[] RunHiddenStates(TokenBatch batch, CancellationToken cancellationToken = default) =>
        RunInSlices(batch, _hiddenOutput, static values => values.ToArray(), cancellationToken);

    public void ReadHiddenStates(TokenBatch batch, HiddenStatesReader read, CancellationToken cancellationToken = default) =>
        RunInSlices(batch, _hiddenOutput, values =>
        {
            read(values);
            return true;
        }, cancellationToken);

    /// <summary>Copies only each row's last real position out of the [batch, sequence, vocabulary] logits.</summary>
    public float[] RunLastTokenLogits(TokenBatch batch, CancellationToken cancellationToken = default) =>
        Run(batch, _logitsOutput ?? _firstOutput, static (values, b) =>
        {
            int vocabulary = values.Length / (b.BatchSize * b.SequenceLength);
            var rows = new float[b.BatchSize * vocabulary];
            for (int row = 0; row < b.BatchSize; row++)
                values.Slice((row * b.SequenceLength + b.LastTokenIndex(row)) * vocabulary, vocabulary).CopyTo(rows.AsSpan(row * vocabulary));
            return rows;
        }, cancellationToken);

    private delegate T OutputReader<out T>(ReadOnlySpan<float> values, TokenBatch batch);

    private delegate T BatchOutputReader<out T>(ReadOnlySpan<float> values);

    /// <summary>Runs <paramref name="batch"/> in slices of at most <see cref="BackendSettings.MaxTokensPerRun"/> tokens
    /// and hands <paramref name="read"/> the whole batch's output, row-major as one run would give it: each slice's rows
    /// are copied into one pooled buffer (a 32 x 256 x 384 output is 12.6 MB, copied in a few milliseconds, against
    /// the quarter of a second per such batch that slicing saves). Rows are independent, so the values are those of one run.</summary>
    private T RunInSlices<T>(TokenBatch batch, string output, BatchOutputReader<T> read, CancellationToken cancellationToken)
    {
        int rows = _maxTokensPerRun <= 0 ? batch.BatchSize : Math.Clamp(_maxTokensPerRun / batch.SequenceLength, 1, batch.BatchSize);
        if (rows >= batch.BatchSize)
            return Run(batch, output, (values, _) => read(values), cancellationToken);
        float[]? buffer = null;
        int rowWidth = 0;
        try
        {
            for (int first = 0; first < batch.BatchSize; first += rows)
            {
                int count = Math.Min(rows, batch.BatchSize - first);
                Run(batch.Rows(first, count), output, (values, _) =>
                {
                    if (buffer is null)
                    {
                        rowWidth = values.Length / count;
                        buffer = ArrayPool<float>.Shared.Rent(rowWidth * batch.BatchSize);
                    }
                    values.CopyTo(buffer.AsSpan(first * rowWidth, count * rowWidth));
                    return true;
                }, cancellationToken);
            }
            return read(buffer.AsSpan(0, rowWidth * batch.BatchSize));
        }
        finally
        {
            if (buffer is not null)
                ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private T Run<T>(TokenBatch batch, string output, OutputReader<T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long[] shape = [batch.BatchSize, batch.SequenceLength];
        var names = new List<string>(4) { "input_ids", "attention_mask" };
        var values = new List<OrtValue>(4)
        {
            OrtValue.CreateTensorValueFromMemory(batch.InputIds, shape),
            OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, shape),
        };
        if (UsesTokenTypeIds)
        {
            names.Add("token_type_ids");
            values.Add(OrtValue.CreateTensorValueFromMemory(batch.TokenTypeIds.Length > 0 ? batch.TokenTypeIds : new long[batch.InputIds.Length], shape));
        }
        if (UsesPositionIds)
        {
            names.Add("position_ids");
            values.Add(OrtValue.CreateTensorValueFromMemory(batch.PositionIds(), shape));
        }
        try
        {
            using var runOptions = new RunOptions();
            // Terminate makes ONNX Runtime abandon the run between kernels, so a cancelled request frees the cores
            // within one operator instead of after the whole batch.
            using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
            try
            {
                using var results = _session.Run(runOptions, names, values, [output]);
                return read(results[0].GetTensorDataAsSpan<float>(), batch);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
        finally
        {
            foreach (var v in values)
                v.Dispose();
        }
    }

    public void Dispose() => _session.Dispose();
}
