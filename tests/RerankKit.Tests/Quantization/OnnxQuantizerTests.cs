using System.Security.Cryptography;
using RerankKit.Models;
using RerankKit.Quantization;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Quantization;

/// <summary>The quantized graph against the original, both read with the tests' own ONNX reader.</summary>
public class OnnxQuantizerTests
{
    private const int OnnxInt8 = 3;
    private const int OnnxFloat = 1;

    private static string CopyOfFixture(ScratchFolder dir, string fixture)
    {
        string source = SharedData.Fixture(fixture);
        string target = Path.Combine(dir.Path, fixture);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return target;
    }

    [Theory]
    [InlineData(false, false, 127)]
    [InlineData(true, false, 127)]
    [InlineData(true, true, 63)]
    public void EveryInt8WeightDequantizesToWithinHalfAScaleOfItsOriginal(bool perChannel, bool reduceRange, int qmax)
    {
        using var dir = new ScratchFolder();
        string folder = CopyOfFixture(dir, "minilm-l6-shaped-reranker");
        var result = OnnxQuantizer.Quantize(folder, new QuantizationOptions { PerChannel = perChannel, ReduceRange = reduceRange });

        var original = OnnxFileReader.Read(Path.Combine(folder, "onnx", "model.onnx"));
        var quantized = OnnxFileReader.Read(result.Path);
        var int8 = quantized.Initializers.Where(i => i.Value.Type == OnnxInt8).Select(i => i.Key).ToList();
        // 6 layers x (Q, K, V, attention output, FFN in, FFN out) + pooler + classifier.
        Assert.Equal(38, int8.Count);
        Assert.Equal(38, result.QuantizedWeights);
        foreach (string name in int8)
        {
            string source = name[..^"_quantized".Length];
            bool transposed = source.EndsWith("_transposed", StringComparison.Ordinal);
            string weightName = transposed ? source[..^"_transposed".Length] : source;
            var (_, dims, _) = original.Initializers[weightName];
            float[] w = original.Floats(weightName);
            sbyte[] q = quantized.Int8(name);
            float[] scales = quantized.Floats(source + "_scale");
            int rows = (int)quantized.Initializers[name].Dims[0], cols = (int)quantized.Initializers[name].Dims[1];
            Assert.Equal(perChannel ? cols : 1, scales.Length);
            Assert.Equal(w.Length, q.Length);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                {
                    float original_ = transposed ? w[c * rows + r] : w[r * cols + c];
                    float scale = scales[perChannel ? c : 0];
                    sbyte value = q[r * cols + c];
                    // Checked without building a message per weight (millions of them); the failure names the first.
                    if (value < -qmax || value > qmax || Math.Abs(value * scale - original_) > scale / 2 * (1 + 1e-5))
                        Assert.Fail($"{name}[{r},{c}]: {value} * {scale} vs {original_}");
                }
            // The largest weight of each channel (or of the tensor) uses the whole range.
            Assert.Contains(q, v => Math.Abs(v) == qmax);
        }
    }

    [Fact]
    public void EmbeddingsAndLayerNormStayFloatAndOnlyWeightMatMulsChange()
    {
        using var dir = new ScratchFolder();
        string folder = CopyOfFixture(dir, "minilm-l6-shaped-reranker");
        string onnx = Path.Combine(folder, "onnx", "model.onnx");
        byte[] before = SHA256.HashData(File.ReadAllBytes(onnx));
        var result = OnnxQuantizer.Quantize(folder);

        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(onnx)));
        var original = OnnxFileReader.Read(onnx);
        var quantized = OnnxFileReader.Read(result.Path);
        foreach (var (name, tensor) in original.Initializers.Where(i => i.Key.Contains("embeddings") || i.Key.Contains("LayerNorm")))
            Assert.Equal(tensor.Data, quantized.Initializers[name].Data);
        // No MatMul or Gemm reads a float weight any more; attention's activation x activation MatMuls remain.
        Assert.DoesNotContain(quantized.Nodes, n => n.Op is "MatMul" or "Gemm" && quantized.Initializers.ContainsKey(n.Inputs[1]));
        Assert.Equal(original.Nodes.Count(n => n.Op == "MatMul" && !original.Initializers.ContainsKey(n.Inputs[1])),
            quantized.Nodes.Count(n => n.Op == "MatMul"));
        Assert.Equal(38, quantized.Nodes.Count(n => n.Op == "DynamicQuantizeMatMul" && n.Domain == "com.microsoft"));
        Assert.True(result.Bytes < result.SourceBytes * 0.7, $"{result.Bytes} vs {result.SourceBytes}");
    }

    [Fact]
    public void TheFusedAndStandardFormsGiveTheSameScores()
    {
        using var dir = new ScratchFolder();
        string folder = CopyOfFixture(dir, "minilm-l6-shaped-reranker");
        OnnxQuantizer.QuantizeFile(Path.Combine(folder, "onnx", "model.onnx"), Path.Combine(folder, "onnx", "standard.onnx"),
            new QuantizationOptions { Form = QuantizedMatMulForm.Standard });
        var standardGraph = OnnxFileReader.Read(Path.Combine(folder, "onnx", "standard.onnx"));
        Assert.Equal(38, standardGraph.Nodes.Count(n => n.Op == "MatMulInteger"));
        // Q, K and V read one LayerNorm output: one DynamicQuantizeLinear serves all three.
        Assert.True(standardGraph.Nodes.Count(n => n.Op == "DynamicQuantizeLinear") < 38);
        OnnxQuantizer.Quantize(folder);

        string[] documents = ["Berlin has 3.5 million inhabitants.", "Berlin is known for its museums.", "Paris is the capital of France and a large city."];
        using var fused = new CrossEncoder(folder, new CrossEncoderOptions { OnnxFile = OnnxQuantizer.Int8OnnxFile, Threads = 1 });
        using var standard = new CrossEncoder(folder, new CrossEncoderOptions { OnnxFile = "onnx/standard.onnx", Threads = 1 });
        float[] a = fused.Predict(documents.Select(d => ("How many people live in Berlin?", d)).ToList());
        float[] b = standard.Predict(documents.Select(d => ("How many people live in Berlin?", d)).ToList());
        for (int i = 0; i < a.Length; i++)
            Assert.Equal(a[i], b[i], 1e-4f);
    }

    [Fact]
    public void ExcludedLayersStayFloatAndOutFolderGetsTheModelsOtherFiles()
    {
        using var dir = new ScratchFolder();
        string folder = CopyOfFixture(dir, "minilm-l6-shaped-reranker");
        string output = Path.Combine(dir.Path, "int8");
        var result = OnnxQuantizer.Quantize(folder, new QuantizationOptions { Exclude = ["classifier", @"layer\.5\.output\.dense"] }, output);

        Assert.Equal(2, result.ExcludedWeights);
        Assert.Equal(36, result.QuantizedWeights);
        Assert.Equal(Path.Combine(output, "onnx", "model_qint8_avx512_vnni.onnx"), result.Path);
        Assert.False(File.Exists(Path.Combine(folder, "onnx", "model_qint8_avx512_vnni.onnx")));
        Assert.False(File.Exists(Path.Combine(output, "onnx", "model.onnx")));
        Assert.False(File.Exists(Path.Combine(output, "model.safetensors")));
        foreach (string file in new[] { "config.json", "tokenizer.json", "vocab.txt" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        var quantized = OnnxFileReader.Read(result.Path);
        Assert.Equal(2, quantized.Nodes.Count(n => n.Op is "MatMul" or "Gemm" && quantized.Initializers.TryGetValue(n.Inputs[1], out var w) && w.Type == OnnxFloat));
        using var model = new CrossEncoder(output, new CrossEncoderOptions { OnnxFile = OnnxQuantizer.Int8OnnxFile, Threads = 1 });
        Assert.True(float.IsFinite(model.Predict([("q", "d")])[0]));
    }

    [Fact]
    public void AQuantizedFileHasNothingLeftToQuantize()
    {
        using var dir = new ScratchFolder();
        string folder = CopyOfFixture(dir, "tiny-bert-reranker");
        var result = OnnxQuantizer.Quantize(folder);
        var e = Assert.Throws<ModelLoadException>(() => OnnxQuantizer.QuantizeFile(result.Path, Path.Combine(dir.Path, "again.onnx")));
        Assert.Contains("already quantized", e.Message);
        Assert.False(File.Exists(Path.Combine(dir.Path, "again.onnx")));
        Assert.Throws<ModelLoadException>(() => OnnxQuantizer.Quantize(folder, new QuantizationOptions { Exclude = ["."] }));
    }
}
