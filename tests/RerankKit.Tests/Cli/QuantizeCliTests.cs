using System.Text.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary><c>rerankkit quantize</c> and the <c>--int8</c> shortcut of the model commands, in a child process.</summary>
public class QuantizeCliTests
{
    private static string CopyOfTinyReranker(ScratchFolder dir)
    {
        string source = SharedData.Fixture("tiny-bert-reranker");
        string target = Path.Combine(dir.Path, "model");
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return target;
    }

    [Fact]
    public void QuantizeWritesTheInt8FileThatInt8Runs()
    {
        using var dir = new ScratchFolder();
        string model = CopyOfTinyReranker(dir);
        var quantize = CliProcess.Run("quantize", model, "--json");
        Assert.True(quantize.ExitCode == 0, quantize.Stderr);
        using var json = JsonDocument.Parse(quantize.Stdout);
        Assert.Equal(Path.Combine(model, "onnx", "model_qint8_avx512_vnni.onnx"), json.RootElement.GetProperty("path").GetString());
        Assert.True(json.RootElement.GetProperty("quantized_weights").GetInt32() > 0);

        var rerank = CliProcess.Run("rerank", "--model", model, "--int8", "--query", "q", "--doc", "a b", "--doc", "c", "--json");
        Assert.True(rerank.ExitCode == 0, rerank.Stderr);
        var conflict = CliProcess.Run("rerank", "--model", model, "--int8", "--onnx-file", "onnx/model.onnx", "--query", "q", "--doc", "a");
        Assert.Equal(2, conflict.ExitCode);
        Assert.Contains("not both", conflict.Stderr);
    }

    [Fact]
    public void Int8WithoutTheFileSaysHowToMakeIt()
    {
        using var dir = new ScratchFolder();
        string model = CopyOfTinyReranker(dir);
        foreach (var run in new[]
                 {
                     CliProcess.Run("rerank", "--model", model, "--int8", "--query", "q", "--doc", "a"),
                     CliProcess.Run("bench", "rerank", "--model", model, "--int8", "--docs", "2"),
                     CliProcess.Run("index", "--corpus", SharedData.RepoRoot + "/samples/corpus", "--out", Path.Combine(dir.Path, "idx"), "--embed-model", model, "--int8-model"),
                 })
        {
            Assert.Equal(2, run.ExitCode);
            string[] lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, run.Stderr);
            Assert.Contains($"has no onnx/model_qint8_avx512_vnni.onnx; make it with `rerankkit quantize {model}`", lines[0]);
        }
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "idx")));
    }

    [Fact]
    public void ExportOnnxInt8WritesBothFiles()
    {
        using var dir = new ScratchFolder();
        string model = CopyOfTinyReranker(dir);
        string output = Path.Combine(dir.Path, "out", "model.onnx");
        var export = CliProcess.Run("export-onnx", "--model", model, "--out", output, "--int8", "--json");
        Assert.True(export.ExitCode == 0, export.Stderr);
        using var json = JsonDocument.Parse(export.Stdout);
        string int8 = json.RootElement.GetProperty("int8_path").GetString()!;
        Assert.Equal(Path.Combine(dir.Path, "out", "model_qint8_avx512_vnni.onnx"), int8);
        Assert.True(new FileInfo(int8).Length < new FileInfo(output).Length);
    }
}
