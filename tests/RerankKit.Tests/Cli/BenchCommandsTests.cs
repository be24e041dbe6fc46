using System.Text.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

public class BenchCommandsTests
{
    [Fact]
    public void BenchRerankPrintsEveryRunAndTheFormula()
    {
        var run = CliProcess.Run("bench", "rerank", "--model", SharedData.Fixture("tiny-bert-reranker"), "--docs", "6", "--tokens", "30", "--iterations", "1", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.Stderr);
        foreach (string expected in new[] { "FLOPs(L) = layers", "equal, end to end", "equal, bare session", "spread, end to end", "spread, bare, all padded to longest", "pairs/s", "% of the bare session" })
            Assert.Contains(expected, run.Stdout);
    }

    [Fact]
    public void BenchRejectsZeroDocuments()
    {
        var run = CliProcess.Run("bench", "rerank", "--model", SharedData.Fixture("tiny-bert-reranker"), "--docs", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--docs must be at least 1", run.Stderr);
    }

    [Fact]
    public void BenchEmbedPrintsEndToEndAndBareDocsPerSecond()
    {
        var run = CliProcess.Run("bench", "embed", "--model", SharedData.Fixture("tiny-bert-embedder"), "--texts", "5", "--batch-size", "2", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.Stderr);
        foreach (string expected in new[] { "5 documents", "end to end (EncodeDocument)", "bare ONNX Runtime session", "docs/s", "% of the bare session's docs/s" })
            Assert.Contains(expected, run.Stdout);
    }

    [Fact]
    public void BenchEmbedEncodesTheFirstDocumentsOfABeirCorpusAsJson()
    {
        using var dataset = new ScratchFolder();
        File.WriteAllLines(Path.Combine(dataset.Path, "corpus.jsonl"),
        [
            """{"_id":"1","title":"Berlin","text":"Berlin is the capital of Germany."}""",
            """{"_id":"2","title":"","text":"Paris lies on the Seine."}""",
            """{"_id":"3","title":"Rome","text":"Rome has seven hills."}""",
        ]);
        var run = CliProcess.Run("bench", "embed", "--model", SharedData.Fixture("tiny-bert-embedder"), "--dataset", dataset.Path, "--limit", "2", "--threads", "1", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("documents").GetInt32());
        Assert.True(json.RootElement.GetProperty("end_to_end_docs_per_second").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("bare_docs_per_second").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("ratio").GetDouble() > 0);
    }

    [Fact]
    public void BenchRerankProfileSumsTheTraceByOperatorTypeAsJson()
    {
        using var scratch = new ScratchFolder();
        string prefix = Path.Combine(scratch.Path, "prof");
        var run = CliProcess.Run("bench", "rerank", "--model", SharedData.Fixture("tiny-bert-reranker"), "--docs", "4", "--tokens", "20",
            "--iterations", "1", "--threads", "1", "--profile", prefix, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var profile = Assert.Single(json.RootElement.GetProperty("profiles").EnumerateArray());
        string trace = profile.GetProperty("trace").GetString()!;
        Assert.StartsWith(prefix, trace);
        Assert.True(File.Exists(trace));
        var operators = profile.GetProperty("operators").EnumerateArray().ToList();
        // One batch of equal and one of spread documents: every node ran twice.
        Assert.All(operators, o => Assert.Equal(0, o.GetProperty("calls").GetInt32() % 2));
        Assert.Contains(operators, o => o.GetProperty("op_type").GetString() == "MatMul");
        Assert.Equal(profile.GetProperty("kernel_ms").GetDouble(), operators.Sum(o => o.GetProperty("ms").GetDouble()), 6);
        Assert.Equal(5, json.RootElement.GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public void BenchEmbedAblateTimesThePathWithEachStepOff()
    {
        var run = CliProcess.Run("bench", "embed", "--model", SharedData.Fixture("tiny-bert-embedder"), "--texts", "5", "--batch-size", "2",
            "--threads", "1", "--ablate", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var names = json.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Equal(["end to end (EncodeDocument)", "without overlapped padding", "without in-place read of the output",
            "without the whole-input sort (input order)", "previous path (sorted; copied, serial)", "without attention fusion (graph as exported)",
            "without sliced runs (each batch in one run)", "bare ONNX Runtime session"], names);
    }

    [Fact]
    public void BenchEmbedRejectsZeroTexts()
    {
        var run = CliProcess.Run("bench", "embed", "--model", SharedData.Fixture("tiny-bert-embedder"), "--texts", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--texts must be at least 1", run.Stderr);
    }
}
