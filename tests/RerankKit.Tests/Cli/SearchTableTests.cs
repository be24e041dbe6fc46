using System.Globalization;
using System.Text.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary>The search table shows the calibrated score its confidence band is computed on; JSON keeps the raw logit.</summary>
public class SearchTableTests
{
    [Fact]
    public void The_table_shows_the_calibrated_score_and_json_the_logit()
    {
        using var dir = new ScratchFolder();
        string index = Path.Combine(dir.Path, "index");
        var built = CliProcess.Run("index", "--corpus", Path.Combine(SharedData.RepoRoot, "samples", "corpus"), "--out", index);
        Assert.True(built.ExitCode == 0, built.Stderr);
        string[] search = ["search", "--index", index, "-q", "How does LoRA train low-rank adapters?", "--rerank-model", SharedData.Fixture("tiny-bert-reranker"),
            "--top-k", "3", "--first-k", "10"];

        var json = CliProcess.Run([.. search, "--json"]);
        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        foreach (var r in results)
            Assert.Equal(1 / (1 + Math.Exp(-r.GetProperty("logit").GetDouble())), r.GetProperty("calibrated_score").GetDouble(), 5);

        var table = CliProcess.Run(search);
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("calibrated", table.Stdout);
        Assert.DoesNotContain("rerank score", table.Stdout);
        foreach (var r in results)
        {
            Assert.Contains(r.GetProperty("calibrated_score").GetDouble().ToString("F4", CultureInfo.InvariantCulture), table.Stdout);
            Assert.DoesNotContain(r.GetProperty("logit").GetDouble().ToString("F4", CultureInfo.InvariantCulture), table.Stdout);
        }
    }
}
