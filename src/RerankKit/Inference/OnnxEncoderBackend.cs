using Microsoft.ML.OnnxRuntime;
using RerankKit.Models;

namespace RerankKit.Inference;

/// <summary>Runs an ONNX export of an encoder with one <see cref="InferenceSession"/>, which ONNX Runtime allows
/// concurrent callers to share. Inputs are bound by name; <c>token_type_ids</c> only when the graph has it.</summary>
public sealed class OnnxEncoderBackend : IEncoderBackend
{
    private readonly InferenceSession _session;
    private readonly string _firstOutput;
    private readonly string? _logitsOutput;

    /// <param name="onnxPath">The .onnx file.</param>
    /// <param name="settings">Threads, device and the session-options hook; null is one default CPU session.</param>
    /// <param name="role">The kind of model the graph must be: its scoring output is checked against it on load, so an
    /// embedder's export used as a classifier (or the reverse) fails here instead of scoring garbage.</param>
    public OnnxEncoderBackend(string onnxPath, BackendSettings? settings = null, ModelKind? role = null)
    {
        if (!File.Exists(onnxPath))
            throw new ModelLoadException($"ONNX weights not found: {onnxPath}");
        settings ??= new BackendSettings();
        using var options = CreateSessionOptions(settings.Threads);
        AddExecutionProvider(options, settings.Device);
        settings.ConfigureSessionOptions?.Invoke(options);
        try
        {
            _session = new InferenceSession(onnxPath, options);
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
        UsesTokenTypeIds = inputs.Contains("token_type_ids");
        _firstOutput = _session.OutputNames[0];
        _logitsOutput = _session.OutputNames.FirstOrDefault(n => n == "logits");
        OnnxPath = onnxPath;
        if (role is { } kind)
            CheckOutput(kind);
    }

    public string OnnxPath { get; }

    /// <summary>Whether the graph takes <c>token_type_ids</c> (BERT exports do, XLM-R exports do not).</summary>
    public bool UsesTokenTypeIds { get; }

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

    /// <summary>A cross-encoder scores from a [batch, num_labels] output, a bi-encoder pools a [batch, seq, hidden] one.</summary>
    private void CheckOutput(ModelKind role)
    {
        var (output, rank, shape) = role == ModelKind.CrossEncoder
            ? (_logitsOutput ?? _firstOutput, 2, "[batch, num_labels]")
            : (_firstOutput, 3, "[batch, sequence, hidden]");
        int actual = _session.OutputMetadata[output].Dimensions.Length;
        if (actual != rank)
        {
            string kind = role == ModelKind.CrossEncoder ? "a cross-encoder" : "a bi-encoder";
            string looksLike = actual == 3 ? " (it looks like an embedder's export)" : actual == 2 ? " (it looks like a classifier's export)" : "";
            _session.Dispose();
            throw new ModelLoadException($"{OnnxPath} is not a graph for {kind}: its output '{output}' has rank {actual}, {kind} needs {shape}{looksLike}");
        }
    }

    public float[] RunClassifier(TokenBatch batch, CancellationToken cancellationToken = default) =>
        Run(batch, _logitsOutput ?? _firstOutput, cancellationToken);

    public float[] RunHiddenStates(TokenBatch batch, CancellationToken cancellationToken = default) =>
        Run(batch, _firstOutput, cancellationToken);

    private float[] Run(TokenBatch batch, string output, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long[] shape = [batch.BatchSize, batch.SequenceLength];
        var names = new List<string>(3) { "input_ids", "attention_mask" };
        var values = new List<OrtValue>(3)
        {
            OrtValue.CreateTensorValueFromMemory(batch.InputIds, shape),
            OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, shape),
        };
        if (UsesTokenTypeIds)
        {
            names.Add("token_type_ids");
            values.Add(OrtValue.CreateTensorValueFromMemory(batch.TokenTypeIds, shape));
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
                return results[0].GetTensorDataAsSpan<float>().ToArray();
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
