using System.Text.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

public class EngineBenchCommandTests
{
    [Fact]
    public void Bench_engine_times_both_engines_on_the_same_ids_and_they_agree()
    {
        var run = CliProcess.Run("bench", "engine", "--model", SharedData.Fixture("tiny-bert-reranker"), "--tokens", "24", "--batch", "3", "--iterations", "2", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(3, root.GetProperty("batch").GetInt32());
        Assert.Equal(24, root.GetProperty("tokens").GetInt32());
        Assert.True(root.GetProperty("native_median_ms").GetDouble() > 0);
        Assert.True(root.GetProperty("onnx_median_ms").GetDouble() > 0);
        Assert.InRange(root.GetProperty("max_abs_difference").GetDouble(), 0, 1e-4);
    }

    [Fact]
    public void Bench_engine_without_an_onnx_export_is_a_user_error()
    {
        using var dir = new ScratchFolder();
        string model = Path.Combine(dir.Path, "m");
        Directory.CreateDirectory(model);
        File.Copy(Path.Combine(SharedData.Fixture("tiny-bert-reranker"), "config.json"), Path.Combine(model, "config.json"));
        var run = CliProcess.Run("bench", "engine", "--model", model);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("has no onnx/model.onnx", run.Stderr);
    }
}
