using Microsoft.ML.OnnxRuntime;
using RerankKit.Hub;
using RerankKit.Inference;
using RerankKit.Models.Bundled;
using RerankKit.Onnx;
using RerankKit.Quantization;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Onnx;

/// <summary>The fused graph computes what the export computes: the same hidden states and scores from ONNX Runtime
/// with and without the fusion, on real weights (the bundled all-MiniLM-L6-v2) and on the fixture architectures,
/// with padded batches so the mask is exercised; graphs it must not touch are left alone.</summary>
public class AttentionFusionTests
{
    // Float32 reassociation only: the fused kernel sums the same products in another order (measured ~1e-6 on
    // hidden states of magnitude ~1; a wrong mask, scale or head split moves them by 1e-1 or more).
    private const float Tolerance = 2e-5f;

    static AttentionFusionTests() => BundledModelCatalog.Register();

    [Fact]
    public void BundledMiniLMFusesEveryLayerAndKeepsItsEmbeddings()
    {
        using var cache = new ScratchFolder();
        var hub = new HubOptions { CacheDir = cache.Path, Offline = true };
        string snapshot = ModelLocator.Resolve(BundledModelCatalog.MiniLM, ModelFiles.For(OnnxQuantizer.DefaultOnnxFile), hub);
        string onnx = Path.Combine(snapshot, OnnxQuantizer.DefaultOnnxFile);

        var fused = AttentionFusion.TryFuse(File.ReadAllBytes(onnx));
        Assert.NotNull(fused);
        Assert.Equal(6, fused.Fused);
        var graph = ReadGraph(fused.Model, cache.Path);
        Assert.Equal(6, graph.Nodes.Count(n => n.OpType == "Attention" && n.Domain == "com.microsoft"));
        Assert.DoesNotContain(graph.Nodes, n => n.OpType == "Softmax");
        // The separate Q/K/V weights left with the nodes that read them; the model did not grow by a copy of them.
        Assert.DoesNotContain(graph.Initializers, t => t.Name.EndsWith("attention.self.query.bias", StringComparison.Ordinal));
        Assert.InRange(fused.Model.Length, new FileInfo(onnx).Length * 0.95, new FileInfo(onnx).Length * 1.01);

        string[] texts =
        [
            "A short one.",
            "Dense retrieval encodes queries and documents into one vector space, where nearest neighbours are relevant.",
            "Cross-encoders read the query and the document together and are slower but more accurate than bi-encoders, " +
            "which is why two-stage retrieval reranks only the first stage's top candidates with them.",
            "x",
        ];
        using var plain = new BiEncoder(BundledModelCatalog.MiniLM, new BiEncoderOptions { Hub = hub, FuseAttention = false });
        using var withFusion = new BiEncoder(BundledModelCatalog.MiniLM, new BiEncoderOptions { Hub = hub });
        var expected = plain.Encode(texts);
        var actual = withFusion.Encode(texts);
        for (int i = 0; i < texts.Length; i++)
            AssertClose(expected[i], actual[i], $"text {i}");
    }

    public static TheoryData<string> Fixtures => new()
    {
        "tiny-bert-reranker", "tiny-bert-embedder", "minilm-l6-shaped-reranker", "tiny-xlmr-reranker", "tiny-electra-reranker",
        "tiny-mpnet-embedder", "tiny-distilbert-nli", "tiny-modernbert-reranker", "tiny-qwen3-reranker", "tiny-colbert",
    };

    /// <summary>Every fixture either fuses (then ONNX Runtime's outputs on a padded batch match the export's) or is
    /// returned untouched; which ones fuse is pinned, so a pattern that stops matching fails here.</summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void FixtureOutputsMatchWithAndWithoutFusion(string fixture)
    {
        string onnx = Path.Combine(SharedData.Fixture(fixture), "onnx", "model.onnx");
        var fused = AttentionFusion.TryFuse(File.ReadAllBytes(onnx));
        int expectedBlocks = ExpectedFusions(fixture);
        Assert.Equal(expectedBlocks, fused?.Fused ?? 0);
        if (fused is null)
            return;

        AssertSameOutputs(onnx, fused.Model, fixture);
    }

    /// <summary>In an int8 export the Q, K, V products are the quantizer's DynamicQuantizeMatMul: they stay, and the
    /// heads' part becomes MultiHeadAttention over their outputs.</summary>
    [Theory]
    [InlineData("tiny-bert-reranker", 2)]
    [InlineData("minilm-l6-shaped-reranker", 6)]
    public void Int8ExportFusesTheHeadsAndKeepsItsOutputs(string fixture, int layers)
    {
        using var scratch = new ScratchFolder();
        string int8 = Path.Combine(scratch.Path, "model_qint8.onnx");
        OnnxQuantizer.QuantizeFile(Path.Combine(SharedData.Fixture(fixture), "onnx", "model.onnx"), int8);
        var fused = AttentionFusion.TryFuse(File.ReadAllBytes(int8));
        Assert.NotNull(fused);
        Assert.Equal(layers, fused.Fused);
        var graph = ReadGraph(fused.Model, scratch.Path);
        Assert.Equal(layers, graph.Nodes.Count(n => n.OpType == "MultiHeadAttention"));
        Assert.Equal(graph.Nodes.Count(n => n.OpType == "DynamicQuantizeMatMul"), 6 * layers + 2);

        AssertSameOutputs(int8, fused.Model, $"{fixture} int8");
    }

    [Fact]
    public void NotAnOnnxModelIsLeftToOnnxRuntime()
    {
        Assert.Null(AttentionFusion.TryFuse([0x0a, 0x05, 0x01]));
        Assert.Null(AttentionFusion.TryFuse([]));
    }

    /// <summary>The layer counts of the fixtures whose attention is transformers' eager BERT attention.</summary>
    private static int ExpectedFusions(string fixture) => fixture switch
    {
        "tiny-bert-reranker" or "tiny-bert-embedder" or "tiny-xlmr-reranker" or "tiny-electra-reranker" or "tiny-colbert" => 2,
        "minilm-l6-shaped-reranker" => 6,
        // MPNet adds a relative position bias to the scores, DistilBERT masks with Where, ModernBERT and Qwen3 use
        // rotary positions: none is this subgraph.
        _ => 0,
    };

    /// <summary>ONNX Runtime's outputs of the export and of its fused rewrite, compared on a padded batch.</summary>
    private static void AssertSameOutputs(string onnx, byte[] fused, string what)
    {
        using var options = OnnxEncoderBackend.CreateSessionOptions(1);
        using var original = new InferenceSession(onnx, options);
        using var rewritten = new InferenceSession(fused, options);
        foreach (var (expected, actual) in Run(original).Zip(Run(rewritten)))
            AssertClose(expected.Values, actual.Values, $"{what} output {expected.Name}");
    }

    /// <summary>Two rows of different lengths, the shorter padded, with the inputs the graph declares.</summary>
    private static List<(string Name, float[] Values)> Run(InferenceSession session)
    {
        const int batch = 2, length = 9;
        long[] ids = new long[batch * length], mask = new long[batch * length], types = new long[batch * length], positions = new long[batch * length];
        for (int t = 0; t < length; t++)
        {
            ids[t] = 5 + 7 * t;
            mask[t] = 1;
            positions[t] = t;
            bool real = t < 5;
            ids[length + t] = real ? 11 + 3 * t : 0;
            mask[length + t] = real ? 1 : 0;
            types[length + t] = t >= 3 && real ? 1 : 0;
            positions[length + t] = t;
        }
        long[] shape = [batch, length];
        var inputs = new Dictionary<string, OrtValue>();
        try
        {
            foreach (string name in session.InputNames)
            {
                long[] data = name switch
                {
                    "input_ids" => ids,
                    "attention_mask" => mask,
                    "token_type_ids" => types,
                    "position_ids" => positions,
                    _ => throw new InvalidOperationException($"unexpected input {name}"),
                };
                inputs[name] = OrtValue.CreateTensorValueFromMemory(data, shape);
            }
            using var results = session.Run(new RunOptions(), inputs, session.OutputNames);
            return session.OutputNames.Zip(results, (n, r) => (n, r.GetTensorDataAsSpan<float>().ToArray())).ToList();
        }
        finally
        {
            foreach (var value in inputs.Values)
                value.Dispose();
        }
    }

    private static OnnxGraph ReadGraph(byte[] model, string folder)
    {
        string path = Path.Combine(folder, "fused.onnx");
        File.WriteAllBytes(path, model);
        return OnnxGraph.Read(path);
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        for (int i = 0; i < expected.Length; i++)
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]) / Math.Max(1f, Math.Abs(expected[i])));
        Assert.True(worst <= Tolerance, $"{what}: largest difference {worst:G3} (tolerance {Tolerance:G3})");
    }
}
