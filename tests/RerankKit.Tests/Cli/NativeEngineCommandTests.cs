using System.Text.Json;
using RerankKit.Tests.Inference;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary><c>--engine native</c> gives ONNX Runtime's results on score, rerank and embed.</summary>
public class NativeEngineCommandTests
{
    private const double Tolerance = 1e-4;

    private static string Jsonl(ScratchFolder dir, string name, IEnumerable<object> rows) =>
        dir.Write(name, string.Join('\n', rows.Select(r => JsonSerializer.Serialize(r))) + "\n");

    private static double[] Field(CliProcess.Result run, string field)
    {
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty(field).GetDouble()).ToArray();
    }

    [Theory]
    [InlineData("tiny-bert-reranker")]
    [InlineData("tiny-xlmr-reranker")]
    public void Score_native_equals_onnx(string fixture)
    {
        var cases = GoldenFile.Cases(fixture).Where(c => c.MaxLength == 512).ToList();
        using var dir = new ScratchFolder();
        string pairs = Jsonl(dir, "pairs.jsonl", cases.Select(c => new { query = c.Query, document = c.Document }));
        string[] args = ["score", "--model", SharedData.Fixture(fixture), "--pairs", pairs, "--activation", "identity", "--batch-size", "4"];
        var onnx = Field(CliProcess.Run([.. args, "--engine", "onnx"]), "score");
        var native = Field(CliProcess.Run([.. args, "--engine", "native"]), "score");
        Assert.Equal(cases.Count, native.Length);
        for (int i = 0; i < onnx.Length; i++)
            Assert.True(Math.Abs(onnx[i] - native[i]) < Tolerance, $"pair {i}: native {native[i]} vs onnx {onnx[i]}");
    }

    [Fact]
    public void Rerank_native_equals_onnx()
    {
        var cases = GoldenFile.Cases("tiny-bert-reranker").Where(c => c.MaxLength == 512).ToList();
        string query = cases[0].Query!;
        var docs = cases.Where(c => c.Query == query).ToList();
        using var dir = new ScratchFolder();
        string file = Jsonl(dir, "docs.jsonl", docs.Select(d => new { text = d.Document }));
        string[] args = ["rerank", "-m", SharedData.Fixture("tiny-bert-reranker"), "--query", query, "--docs", file, "--json"];
        List<(int Index, double Score)> Results(string engine)
        {
            var run = CliProcess.Run([.. args, "--engine", engine]);
            Assert.True(run.ExitCode == 0, run.Stderr);
            return JsonDocument.Parse(run.Stdout).RootElement.GetProperty("results").EnumerateArray()
                .Select(r => (r.GetProperty("index").GetInt32(), r.GetProperty("score").GetDouble())).ToList();
        }
        var onnx = Results("onnx");
        var native = Results("native");
        Assert.Equal(docs.Count, native.Count);
        Assert.Equal(onnx.Select(r => r.Index), native.Select(r => r.Index));
        for (int i = 0; i < onnx.Count; i++)
            Assert.True(Math.Abs(onnx[i].Score - native[i].Score) < Tolerance, $"rank {i}: native {native[i].Score} vs onnx {onnx[i].Score}");
    }

    [Fact]
    public void Embed_native_equals_onnx()
    {
        var cases = GoldenFile.Cases("tiny-bert-embedder");
        using var dir = new ScratchFolder();
        string input = Jsonl(dir, "texts.jsonl", cases.Select(c => new { text = c.Text }));
        double[][] Vectors(string engine)
        {
            var run = CliProcess.Run("embed", "--model", SharedData.Fixture("tiny-bert-embedder"), "--input", input, "--engine", engine);
            Assert.True(run.ExitCode == 0, run.Stderr);
            return run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("embedding").EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
        }
        var onnx = Vectors("onnx");
        var native = Vectors("native");
        Assert.Equal(cases.Count, native.Length);
        for (int i = 0; i < onnx.Length; i++)
            Assert.True(onnx[i].Zip(native[i]).All(p => Math.Abs(p.First - p.Second) < Tolerance), $"text {i}");
    }
}
