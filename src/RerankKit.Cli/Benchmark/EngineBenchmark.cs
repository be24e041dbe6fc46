using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace RerankKit.Engine;

public sealed record EngineBenchmarkOptions
{
    public int Tokens { get; init; } = 200;
    public int Batch { get; init; } = 8;
    public int Iterations { get; init; } = 5;
    public int Seed { get; init; } = 1;

    /// <summary>Threads for both engines (ONNX Runtime's intra-op threads, <see cref="TransformerModel.Threads"/>); null is one per core.</summary>
    public int? Threads { get; init; }

    /// <summary>Also time a training step (forward keeping activations, then backward into parameter gradients).</summary>
    public bool Training { get; init; }
}

/// <summary>Per-forward wall times in milliseconds (median and best of the timed iterations, after two warm-ups)
/// and the largest difference between the two engines' outputs on the same ids.</summary>
public sealed record EngineBenchmarkResult(
    string Model, int Batch, int Tokens, int Iterations, int Threads,
    double NativeMedianMs, double NativeBestMs, double OnnxMedianMs, double OnnxBestMs, double MaxAbsDifference)
{
    /// <summary>Native median time over ONNX Runtime median time (below 1 means the native engine is faster).</summary>
    public double Ratio => NativeMedianMs / OnnxMedianMs;

    /// <summary>Median and best wall time of a native training step (forward + backward), when it was timed.</summary>
    public double? TrainMedianMs { get; init; }
    public double? TrainBestMs { get; init; }

    /// <summary>Managed bytes allocated per training step, and the GC pause time per step: what buffer reuse saves.</summary>
    public double? TrainAllocatedMbPerStep { get; init; }
    public double? TrainGcPauseMsPerStep { get; init; }

    /// <summary>Training step median over ONNX Runtime forward median: what one training pass costs in inference passes.</summary>
    public double? TrainRatio => TrainMedianMs / OnnxMedianMs;

    public static double PairsPerSecond(int batch, double ms) => batch * 1000.0 / ms;
}

/// <summary>Times the native engine's forward against ONNX Runtime's on a model folder's <c>onnx/model.onnx</c>
/// with identical random ids.</summary>
public static class EngineBenchmark
{
    public static EngineBenchmarkResult Run(string modelFolder, EngineBenchmarkOptions options)
    {
        if (options.Tokens < 2 || options.Batch < 1 || options.Iterations < 1)
            throw new ArgumentException("tokens must be at least 2, batch and iterations at least 1");
        string onnxPath = Path.Combine(modelFolder, "onnx", "model.onnx");
        if (!File.Exists(onnxPath))
            throw new FileNotFoundException($"{modelFolder} has no onnx/model.onnx to compare with", onnxPath);
        int threads = options.Threads ?? Environment.ProcessorCount;
        var model = TransformerModel.Load(modelFolder);
        model.Threads = threads;
        var input = RandomInput(model, options);

        using var sessionOptions = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(onnxPath, sessionOptions);
        var feeds = OnnxFeeds(session, input);
        string outputName = session.OutputMetadata.Keys.Contains("logits") ? "logits" : session.OutputMetadata.Keys.First();

        float[] RunOnnx()
        {
            using var results = session.Run(feeds, [outputName]);
            return results[0].AsEnumerable<float>().ToArray();
        }
        float[] RunNative()
        {
            var pass = model.Forward(input);
            return outputName == "logits" ? pass.Logits! : pass.LastHiddenState;
        }

        var gradients = options.Training ? model.Parameters.ZerosLike() : null;
        // d loss / d output of ones: the backward's cost does not depend on the values.
        var dOutput = options.Training ? Enumerable.Repeat(1f, RunNative().Length).ToArray() : null;
        void RunTraining()
        {
            foreach (var g in gradients!)
                Array.Clear(g.Data);
            var pass = model.Forward(input, ForwardOptions.Training);
            model.Backward(pass, outputName == "logits" ? dOutput : null, outputName == "logits" ? null : dOutput, gradients, inputGradients: false);
        }

        var onnxOut = RunOnnx();
        var nativeOut = RunNative();
        double diff = onnxOut.Length == nativeOut.Length
            ? onnxOut.Zip(nativeOut, (a, b) => (double)Math.Abs(a - b)).Max()
            : double.NaN;
        // Interleaved, so a change in the machine's load falls on both engines alike.
        var onnxTimes = new double[options.Iterations];
        var nativeTimes = new double[options.Iterations];
        var trainTimes = new double[options.Training ? options.Iterations : 0];
        RunOnnx();
        RunNative();
        if (options.Training)
            RunTraining();
        long allocated = 0;
        var paused = TimeSpan.Zero;
        for (int i = 0; i < options.Iterations; i++)
        {
            onnxTimes[i] = Time(() => RunOnnx());
            nativeTimes[i] = Time(() => RunNative());
            if (options.Training)
            {
                long bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
                var pauseBefore = GC.GetTotalPauseDuration();
                trainTimes[i] = Time(RunTraining);
                allocated += GC.GetTotalAllocatedBytes(precise: true) - bytesBefore;
                paused += GC.GetTotalPauseDuration() - pauseBefore;
            }
        }
        return new EngineBenchmarkResult(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelFolder))),
            options.Batch, options.Tokens, options.Iterations, threads,
            Median(nativeTimes), nativeTimes.Min(), Median(onnxTimes), onnxTimes.Min(), diff)
        {
            TrainMedianMs = options.Training ? Median(trainTimes) : null,
            TrainBestMs = options.Training ? trainTimes.Min() : null,
            TrainAllocatedMbPerStep = options.Training ? allocated / 1e6 / options.Iterations : null,
            TrainGcPauseMsPerStep = options.Training ? paused.TotalMilliseconds / options.Iterations : null,
        };
    }

    private static EncoderInput RandomInput(TransformerModel model, EngineBenchmarkOptions options)
    {
        var random = new Random(options.Seed);
        int b = options.Batch, t = options.Tokens, vocab = model.Config.VocabSize;
        var ids = new int[b * t];
        var types = new int[b * t];
        int lo = Math.Min(vocab - 1, Math.Max(model.Config.PadTokenId + 1, 3) + 100);
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = random.Next(lo, vocab);
            types[i] = model.Config.TypeVocabSize > 1 && i % t >= t / 2 ? 1 : 0;
        }
        return new EncoderInput(ids, b, t, null, types);
    }

    private static List<NamedOnnxValue> OnnxFeeds(InferenceSession session, EncoderInput input)
    {
        int[] dims = [input.BatchSize, input.SequenceLength];
        var feeds = new List<NamedOnnxValue>();
        foreach (string name in session.InputMetadata.Keys)
        {
            int[] source = name switch
            {
                "input_ids" => input.InputIds,
                "attention_mask" => input.AttentionMask,
                "token_type_ids" => input.TokenTypeIds ?? new int[input.InputIds.Length],
                _ => throw new InvalidDataException($"onnx/model.onnx has an unexpected input {name}"),
            };
            feeds.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(source.Select(x => (long)x).ToArray(), dims)));
        }
        return feeds;
    }

    private static double Time(Action run)
    {
        var sw = Stopwatch.StartNew();
        run();
        return sw.Elapsed.TotalMilliseconds;
    }

    private static double Median(double[] xs)
    {
        var sorted = xs.OrderBy(x => x).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
