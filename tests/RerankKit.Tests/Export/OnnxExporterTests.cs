using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RerankKit.Engine;
using RerankKit.Export;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Export;

public sealed class OnnxExporterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rerankkit-onnx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("tiny-bert-reranker")]
    [InlineData("tiny-xlmr-reranker")]
    [InlineData("minilm-l6-shaped-reranker")]
    public void ExportedRerankerReproducesGoldenLogitsBatchedWithPadding(string fixture)
    {
        string folder = SharedData.Fixture(fixture);
        var result = OnnxExporter.Export(folder, Path.Combine(_dir, "model.onnx"));
        Assert.Equal("logits", result.OutputName);

        var cases = Golden(folder);
        var ids = cases.Select(c => Ints(c, "input_ids")).ToList();
        var types = cases.Select(c => c.TryGetProperty("token_type_ids", out _) ? Ints(c, "token_type_ids") : new long[Ints(c, "input_ids").Length]).ToList();
        var outputs = Run(result, ids, types, PadId(fixture));
        for (int i = 0; i < cases.Count; i++)
            Assert.True(Math.Abs(outputs[i] - cases[i].GetProperty("logit").GetDouble()) < 1e-4,
                $"case {i}: exported {outputs[i]} vs golden {cases[i].GetProperty("logit").GetDouble()}");

        // One case alone (no padding) gives the same logit as inside the padded batch.
        var alone = Run(result, [ids[0]], [types[0]], PadId(fixture));
        Assert.True(Math.Abs(alone[0] - outputs[0]) < 1e-5);
    }

    [Fact]
    public void ExportedEmbedderReproducesGoldenMeanPooledEmbeddings()
    {
        string folder = SharedData.Fixture("tiny-bert-embedder");
        var result = OnnxExporter.Export(folder, Path.Combine(_dir, "model.onnx"));
        Assert.Equal("last_hidden_state", result.OutputName);

        var cases = Golden(folder);
        var ids = cases.Select(c => Ints(c, "input_ids")).ToList();
        int hidden = 32;
        int maxLen = ids.Max(x => x.Length);
        var states = Run(result, ids, ids.Select(x => new long[x.Length]).ToList(), 0);
        for (int i = 0; i < cases.Count; i++)
        {
            var pooled = new double[hidden];
            for (int t = 0; t < ids[i].Length; t++)
                for (int h = 0; h < hidden; h++)
                    pooled[h] += states[(i * maxLen + t) * hidden + h];
            double norm = Math.Sqrt(pooled.Sum(v => v * v));
            var golden = cases[i].GetProperty("embedding").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (int h = 0; h < hidden; h++)
                Assert.True(Math.Abs(pooled[h] / norm - golden[h]) < 1e-4, $"case {i} dim {h}");
        }
    }

    [Fact]
    public void ExportDefaultsToOnnxFolderInsideModelAndReportsInputs()
    {
        string copy = Path.Combine(_dir, "model");
        Directory.CreateDirectory(copy);
        foreach (var f in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(SharedData.Fixture("tiny-xlmr-reranker"), f), Path.Combine(copy, f));
        var result = OnnxExporter.Export(copy);
        Assert.Equal(Path.Combine(copy, "onnx", "model.onnx"), result.Path);
        using var session = new InferenceSession(result.Path);
        Assert.Equal(["input_ids", "attention_mask"], session.InputMetadata.Keys.ToArray());
    }

    [Theory]
    [InlineData("tiny-bert-reranker")]
    [InlineData("tiny-xlmr-reranker")]
    [InlineData("tiny-bert-embedder")]
    public void ExportOfAFreshlyInitializedModelEqualsTheNativeEngine(string fixture)
    {
        // New random weights (not the fixture's) so the check covers any trained model, not one weight file.
        var config = ModelConfig.Load(Path.Combine(SharedData.Fixture(fixture), "config.json"));
        var model = TransformerModel.CreateRandom(config, seed: 11, initializerRange: 0.2f);
        var result = OnnxExporter.Export(model, Path.Combine(_dir, "fresh.onnx"));

        var random = new Random(3);
        int pad = config.PadTokenId;
        var ids = new List<long[]>();
        foreach (int length in new[] { 9, 4, 13 })
            ids.Add(Enumerable.Range(0, length).Select(_ => (long)random.Next(5, Math.Min(config.VocabSize, 900))).ToArray());
        var types = ids.Select(x => x.Select((_, i) => i > x.Length / 2 && config.TypeVocabSize > 1 ? 1L : 0L).ToArray()).ToList();
        var onnx = Run(result, ids, types, pad);

        var input = EncoderInput.Pad(ids.Select(x => (IReadOnlyList<int>)x.Select(v => (int)v).ToArray()).ToList(), pad,
            config.IsRoberta ? null : types.Select(x => (IReadOnlyList<int>)x.Select(v => (int)v).ToArray()).ToList());
        var pass = model.Forward(input);
        var native = pass.Logits ?? pass.LastHiddenState;
        Assert.Equal(native.Length, onnx.Length);
        for (int i = 0; i < native.Length; i++)
        {
            // Padded positions of last_hidden_state are not defined by either side's contract; compare real tokens.
            int b = i / (native.Length / ids.Count), t = pass.Logits is null ? i % (native.Length / ids.Count) / config.HiddenSize : 0;
            if (t < ids[b].Length)
                Assert.True(Math.Abs(native[i] - onnx[i]) < 1e-4, $"value {i}: engine {native[i]} vs onnx {onnx[i]}");
        }
    }

    private static float[] Run(OnnxExportResult model, List<long[]> ids, List<long[]> types, long pad)
    {
        int batch = ids.Count, len = ids.Max(x => x.Length);
        var inputIds = new DenseTensor<long>([batch, len]);
        var mask = new DenseTensor<long>([batch, len]);
        var typeIds = new DenseTensor<long>([batch, len]);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < len; t++)
            {
                bool real = t < ids[b].Length;
                inputIds[b, t] = real ? ids[b][t] : pad;
                mask[b, t] = real ? 1 : 0;
                typeIds[b, t] = real ? types[b][t] : 0;
            }
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", inputIds),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
        };
        if (model.InputNames.Contains("token_type_ids"))
            inputs.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", typeIds));
        using var session = new InferenceSession(model.Path);
        using var results = session.Run(inputs);
        return results.First().AsEnumerable<float>().ToArray();
    }

    private static long PadId(string fixture) => fixture.Contains("xlmr") ? 1 : 0;

    private static List<JsonElement> Golden(string folder)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "golden.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToList();
    }

    private static long[] Ints(JsonElement c, string name) => c.GetProperty(name).EnumerateArray().Select(e => e.GetInt64()).ToArray();
}
