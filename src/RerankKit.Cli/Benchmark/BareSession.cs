using Microsoft.ML.OnnxRuntime;

namespace RerankKit.Inference.Benchmark;

/// <summary>A bare ONNX Runtime session over batches built beforehand, so only session.Run is timed. It uses the
/// same options as the library's sessions, so a comparison measures the pipeline around the session.</summary>
public sealed class BareSession : IDisposable
{
    private readonly List<IDisposable> _resources = [];
    private readonly InferenceSession _session;
    private readonly List<List<OrtValue>> _feeds;
    private readonly string[] _names;
    private readonly string[] _outputs;
    private readonly RunOptions _runOptions;

    /// <param name="profilePrefix">Turns ONNX Runtime's profiler on, writing <c>{prefix}_{date}.json</c> at
    /// <see cref="EndProfiling"/>.</param>
    public BareSession(string onnxPath, int? threads, IReadOnlyList<TokenBatch> batches, string? profilePrefix = null)
    {
        var sessionOptions = Add(OnnxEncoderBackend.CreateSessionOptions(threads));
        if (profilePrefix is not null)
        {
            // The prefix first: turning profiling on hands ONNX Runtime the prefix set at that moment.
            sessionOptions.ProfileOutputPathPrefix = profilePrefix;
            sessionOptions.EnableProfiling = true;
        }
        _session = Add(new InferenceSession(onnxPath, sessionOptions));
        bool types = _session.InputMetadata.ContainsKey("token_type_ids");
        _feeds = batches.Select(b =>
        {
            long[] shape = [b.BatchSize, b.SequenceLength];
            var values = new List<OrtValue>
            {
                Add(OrtValue.CreateTensorValueFromMemory(b.InputIds, shape)),
                Add(OrtValue.CreateTensorValueFromMemory(b.AttentionMask, shape)),
            };
            if (types)
                values.Add(Add(OrtValue.CreateTensorValueFromMemory(b.TokenTypeIds, shape)));
            return values;
        }).ToList();
        _names = types ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];
        _outputs = [_session.OutputNames[0]];
        _runOptions = Add(new RunOptions());
    }

    /// <summary>Runs every batch once, in order.</summary>
    public void RunAll()
    {
        foreach (var feed in _feeds)
        {
            using var result = _session.Run(_runOptions, _names, feed, _outputs);
        }
    }

    /// <summary>Stops the profiler and returns the trace file it wrote (Chrome trace JSON).</summary>
    public string EndProfiling() => _session.EndProfiling();

    public void Dispose()
    {
        for (int i = _resources.Count - 1; i >= 0; i--)
            _resources[i].Dispose();
    }

    private T Add<T>(T item) where T : IDisposable
    {
        _resources.Add(item);
        return item;
    }
}
