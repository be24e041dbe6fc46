using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RerankKit.Export;
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
