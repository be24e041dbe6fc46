using System.Text.Json;
using RerankKit.Tests.Engine;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary><c>rerank</c> picks the reranker kind from the folder and prints the raw score of that kind; checked
/// against the fixtures' goldens. Wrong combinations fail with one line and exit 2.</summary>
public sealed class RerankerKindCliTests
{
    private const double Tolerance = 1e-4;

    private static JsonElement RerankJson(params string[] args)
    {
        var run = CliProcess.Run(["rerank", .. args, "--json"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return JsonDocument.Parse(run.Stdout).RootElement;
    }

    [Fact]
    public void MonoT5_json_carries_the_kind_the_index_and_log_p_true()
    {
        var c = Golden.Of("tiny-monot5-reranker").Cases.First();
        var root = RerankJson("-m", SharedData.Fixture("tiny-monot5-reranker"), "-q", c.GetProperty("query").GetString()!, "--doc", c.GetProperty("document").GetString()!);
        Assert.Equal("monot5", root.GetProperty("kind").GetString());
        var result = root.GetProperty("results")[0];
        Assert.Equal(0, result.GetProperty("index").GetInt32());
        Assert.Equal(c.GetProperty("score").GetDouble(), result.GetProperty("score").GetDouble(), Tolerance);
    }

    [Fact]
    public void RankT5_scoring_prints_the_extra_id_10_logit()
    {
        var c = Golden.Of("tiny-rankt5-reranker").Cases.First();
        var root = RerankJson("-m", SharedData.Fixture("tiny-rankt5-reranker"), "--scoring", "rankt5",
            "-q", c.GetProperty("query").GetString()!, "--doc", c.GetProperty("document").GetString()!);
        Assert.Equal("rankt5", root.GetProperty("kind").GetString());
        Assert.Equal(c.GetProperty("score").GetDouble(), root.GetProperty("results")[0].GetProperty("score").GetDouble(), Tolerance);
    }

    [Fact]
    public void DuoT5_prints_the_golden_ranking_and_sym_sums()
    {
        var golden = Golden.Of("tiny-duot5-reranker").Root;
        var args = new List<string> { "-m", SharedData.Fixture("tiny-duot5-reranker"), "--scoring", "duot5", "-q", golden.GetProperty("query").GetString()! };
        foreach (var d in golden.GetProperty("documents").EnumerateArray())
            args.AddRange(["--doc", d.GetString()!]);
        var root = RerankJson([.. args]);
        var results = root.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(Golden.Ints(golden, "ranking"), results.Select(r => r.GetProperty("index").GetInt32()));
        var symSum = golden.GetProperty("sym_sum").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        foreach (var r in results)
            Assert.Equal(symSum[r.GetProperty("index").GetInt32()], r.GetProperty("score").GetDouble(), Tolerance);
    }

    [Fact]
    public void ColBert_json_scores_are_the_golden_maxsim()
    {
        var c = Golden.Of("tiny-colbert").Cases.First();
        var root = RerankJson("-m", SharedData.Fixture("tiny-colbert"), "-q", c.GetProperty("query").GetString()!, "--doc", c.GetProperty("document").GetString()!);
        Assert.Equal("colbert", root.GetProperty("kind").GetString());
        Assert.Equal(c.GetProperty("maxsim").GetDouble(), root.GetProperty("results")[0].GetProperty("score").GetDouble(), Tolerance);
    }

    [Theory]
    [InlineData("tiny-bert-reranker", new[] { "--scoring", "duot5" }, "--scoring applies to T5 rerankers")]
    [InlineData("tiny-monot5-reranker", new[] { "--duo-top-k", "3" }, "--duo-top-k bounds duoT5's pairs")]
    [InlineData("tiny-monot5-reranker", new[] { "--scoring", "listwise" }, "unknown T5 scoring")]
    [InlineData("tiny-duot5-reranker", new[] { "--scoring", "duot5", "--duo-top-k", "1" }, "--duo-top-k")]
    public void Wrong_kind_options_fail_with_one_line(string fixture, string[] extra, string message)
    {
        var run = CliProcess.Run(["rerank", "-m", SharedData.Fixture(fixture), "-q", "q", "--doc", "a", "--doc", "b", .. extra]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr);
        Assert.Single(run.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Explain_refuses_T5_in_one_line_and_draws_ColBERT_alignment()
    {
        using var dir = new ScratchFolder();
        var t5 = CliProcess.Run("explain", "-m", SharedData.Fixture("tiny-monot5-reranker"), "-q", "q", "-d", "d", "-o", Path.Combine(dir.Path, "t5"));
        Assert.Equal(2, t5.ExitCode);
        Assert.Contains("explain does not support T5", t5.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "t5")));

        var c = Golden.Of("tiny-colbert").Cases.First();
        string folder = Path.Combine(dir.Path, "colbert");
        var run = CliProcess.Run("explain", "-m", SharedData.Fixture("tiny-colbert"), "-q", c.GetProperty("query").GetString()!,
            "-d", c.GetProperty("document").GetString()!, "-o", folder, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(c.GetProperty("maxsim").GetDouble(), root.GetProperty("score").GetDouble(), Tolerance);
        var maxima = Golden.Flat(c.GetProperty("query_token_max"));
        var matches = root.GetProperty("matches").EnumerateArray().ToArray();
        Assert.Equal(maxima.Length, matches.Length);
        for (int q = 0; q < maxima.Length; q++)
            Assert.Equal(maxima[q], matches[q].GetProperty("similarity").GetDouble(), Tolerance);
        Assert.True(new FileInfo(Path.Combine(folder, "maxsim.png")).Length > 1000);
    }
}
