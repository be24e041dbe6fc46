using System.Text.Json;
using RerankKit.Engine;
using RerankKit.Models;
using RerankKit.Tests.Engine;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary><c>convert</c>, <c>explain</c>, <c>export-onnx</c> and <c>train</c> on a model published only as ONNX.</summary>
public class OnnxOnlyModelCommandTests
{
    private static void AssertSameWeights(TransformerModel expected, TransformerModel actual)
    {
        Assert.Equal(expected.Parameters.Select(p => p.Name).Order(), actual.Parameters.Select(p => p.Name).Order());
        foreach (var p in actual.Parameters)
        {
            Assert.Equal(expected.Parameters[p.Name].Shape, p.Shape);
            Assert.True(expected.Parameters[p.Name].Data.AsSpan().SequenceEqual(p.Data), $"{p.Name} differs");
        }
    }

    [Fact]
    public void Convert_writes_a_safetensors_folder_with_the_onnx_weights()
    {
        using var dir = new ScratchFolder();
        string onnxOnly = OnnxWeightsTests.OnnxOnlyCopy("tiny-bert-reranker", dir);
        string output = Path.Combine(dir.Path, "converted");
        var run = CliProcess.Run("convert", "--to", "safetensors", onnxOnly, output, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var original = TransformerModel.Load(SharedData.Fixture("tiny-bert-reranker"));
        Assert.Equal(original.Parameters.Count, JsonDocument.Parse(run.Stdout).RootElement.GetProperty("tensors").GetInt32());
        Assert.True(File.Exists(Path.Combine(output, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(output, "tokenizer.json")));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, ".converted.new")));
        AssertSameWeights(original,
            TransformerModel.FromSafetensors(ModelConfig.Load(Path.Combine(output, "config.json")), Path.Combine(output, "model.safetensors")));
    }

    [Fact]
    public void Convert_refuses_a_non_empty_output_folder_and_leaves_it_alone()
    {
        using var dir = new ScratchFolder();
        string keep = dir.Write("out/notes.txt", "mine");
        var run = CliProcess.Run("convert", "--to", "safetensors", SharedData.Fixture("tiny-bert-reranker"), Path.GetDirectoryName(keep)!);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: the output folder", run.Stderr);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.Equal("mine", File.ReadAllText(keep));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData("onnx")]
    [InlineData("")]
    public void Convert_refuses_an_unknown_format_or_a_folder_without_weights(string to)
    {
        using var dir = new ScratchFolder();
        string noWeights = dir.Write("model/config.json", File.ReadAllText(Path.Combine(SharedData.Fixture("tiny-bert-reranker"), "config.json")));
        string[] format = to.Length > 0 ? ["--to", to] : ["--to", "safetensors"];
        var run = CliProcess.Run(["convert", .. format, Path.GetDirectoryName(noWeights)!, Path.Combine(dir.Path, "out")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.Contains(to.Length > 0 ? "onnx" : "has no model.safetensors or onnx/model.onnx", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")));
    }

    [Fact]
    public void Explain_on_an_onnx_only_folder_scores_as_on_the_safetensors_folder()
    {
        using var dir = new ScratchFolder();
        string onnxOnly = OnnxWeightsTests.OnnxOnlyCopy("tiny-bert-reranker", dir);
        double Score(string model, string output)
        {
            var run = CliProcess.Run("explain", "--model", model, "--query", "who invented the telephone",
                "--doc", "Alexander Graham Bell patented the telephone in 1876.", "--out", Path.Combine(dir.Path, output), "--steps", "8", "--json");
            Assert.True(run.ExitCode == 0, run.Stderr);
            return JsonDocument.Parse(run.Stdout).RootElement.GetProperty("score").GetDouble();
        }
        Assert.Equal(Score(SharedData.Fixture("tiny-bert-reranker"), "a"), Score(onnxOnly, "b"), 6);
    }

    [Theory]
    [InlineData("tiny-bert-reranker")]
    [InlineData("tiny-xlmr-reranker")]
    [InlineData("tiny-bert-embedder")]
    public void Export_onnx_of_an_onnx_only_folder_keeps_the_weights(string fixture)
    {
        using var dir = new ScratchFolder();
        string onnxOnly = OnnxWeightsTests.OnnxOnlyCopy(fixture, dir);
        string exported = Path.Combine(dir.Path, "exported.onnx");
        var run = CliProcess.Run("export-onnx", "--model", onnxOnly, "--out", exported, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var config = ModelConfig.Load(Path.Combine(onnxOnly, "config.json"));
        AssertSameWeights(TransformerModel.Load(onnxOnly), TransformerModel.FromOnnx(config, exported));
    }

    [Fact]
    public void Export_onnx_does_not_overwrite_the_export_an_onnx_only_model_is_read_from()
    {
        using var dir = new ScratchFolder();
        string folder = Path.Combine(dir.Path, "model");
        foreach (string file in Directory.EnumerateFiles(SharedData.Fixture("tiny-bert-reranker"), "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(SharedData.Fixture("tiny-bert-reranker"), file);
            if (relative == "model.safetensors")
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, relative))!);
            File.Copy(file, Path.Combine(folder, relative));
        }
        byte[] before = File.ReadAllBytes(Path.Combine(folder, "onnx", "model.onnx"));
        var run = CliProcess.Run("export-onnx", "--model", folder);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("choose another --out", run.Stderr);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(folder, "onnx", "model.onnx")));
    }

    [Fact]
    public void Training_starts_from_the_weights_of_an_onnx_only_folder()
    {
        using var dir = new ScratchFolder();
        string onnxOnly = OnnxWeightsTests.OnnxOnlyCopy("tiny-bert-reranker", dir);
        var start = RerankKit.Training.Checkpoints.BaseModel.Load(onnxOnly, ModelKind.CrossEncoder, seed: 1);
        Assert.False(start.RandomlyInitialized);
        AssertSameWeights(TransformerModel.Load(SharedData.Fixture("tiny-bert-reranker")), start.Model);
    }

    [Fact]
    public void Train_runs_end_to_end_on_an_onnx_only_folder_and_writes_safetensors()
    {
        using var dir = new ScratchFolder();
        string onnxOnly = OnnxWeightsTests.OnnxOnlyCopy("tiny-bert-reranker", dir);
        string triplets = dir.Write("train.jsonl",
            "{\"query\":\"red car\",\"positive\":\"a red car\",\"negative\":\"a blue bike\"}\n" +
            "{\"query\":\"blue bike\",\"positive\":\"a blue bike\",\"negative\":\"a red car\"}\n");
        string output = Path.Combine(dir.Path, "trained");

        var run = CliProcess.Run("train", "reranker", "--base-model", onnxOnly, "--train", triplets, "--out", output, "--epochs", "1");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(File.Exists(Path.Combine(output, "model.safetensors")));
        Assert.False(TransformerModel.Load(output).Config.Architecture is null);
    }
}
