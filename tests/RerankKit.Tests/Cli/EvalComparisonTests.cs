using System.Text.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary><c>eval</c> with several <c>--rerank-model</c>: one row per reranker over the same first stage, each row
/// computed with its own kind, so each equals the metrics of evaluating that reranker alone. The fixtures have random
/// weights: this checks the plumbing, not the quality.</summary>
public sealed class EvalComparisonTests
{
    private static readonly string[] Slice = ["--dataset", SharedData.Dataset("scifact"), "--limit", "3", "--first-k", "5", "--k", "5", "--json"];

    private static readonly (string Spec, string Kind)[] Rerankers =
    [
        (SharedData.Fixture("tiny-bert-reranker"), "cross-encoder"),
        (SharedData.Fixture("tiny-monot5-reranker"), "monot5"),
        ("rankt5:" + SharedData.Fixture("tiny-rankt5-reranker"), "rankt5"),
        ("duot5:" + SharedData.Fixture("tiny-duot5-reranker"), "duot5"),
        (SharedData.Fixture("tiny-colbert"), "colbert"),
    ];

    private static JsonElement Eval(params string[] args)
    {
        var run = CliProcess.Run(["eval", .. Slice, .. args]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return JsonDocument.Parse(run.Stdout).RootElement.Clone();
    }

    [Fact]
    public void Each_row_equals_that_reranker_evaluated_alone()
    {
        var compared = Eval(Rerankers.SelectMany(r => new[] { "--rerank-model", r.Spec }).ToArray());
        var rows = compared.GetProperty("rerankers");
        Assert.Equal(Rerankers.Length, rows.GetArrayLength());
        Assert.False(compared.GetProperty("metrics").TryGetProperty("reranked", out _));

        for (int i = 0; i < Rerankers.Length; i++)
        {
            var alone = Eval("--rerank-model", Rerankers[i].Spec);
            var row = rows[i];
            Assert.Equal(Rerankers[i].Kind, row.GetProperty("kind").GetString());
            Assert.Equal(alone.GetProperty("reranker").GetString(), row.GetProperty("reranker").GetString());
            Assert.Equal(alone.GetProperty("metrics").GetProperty("reranked").GetRawText(), row.GetProperty("metrics").GetRawText());
            Assert.Equal(alone.GetProperty("relative_improvement").GetRawText(), row.GetProperty("relative_improvement").GetRawText());
            // The same first stage under every row.
            Assert.Equal(alone.GetProperty("metrics").GetProperty("first_stage").GetRawText(), compared.GetProperty("metrics").GetProperty("first_stage").GetRawText());
        }
        // Rows are not one reranker repeated: with random weights the kinds disagree somewhere.
        Assert.True(rows.EnumerateArray().Select(r => r.GetProperty("metrics").GetRawText()).Distinct().Count() > 1);
    }

    [Fact]
    public void A_scoring_prefix_on_a_model_that_is_not_T5_is_one_line()
    {
        var run = CliProcess.Run(["eval", .. Slice, "--rerank-model", "rankt5:" + SharedData.Fixture("tiny-bert-reranker")]);
        CliAssert.UserError(run, "rankt5: applies to T5 rerankers");
    }

    [Fact]
    public void A_sweep_over_several_rerankers_is_one_line()
    {
        var run = CliProcess.Run(["eval", .. Slice, "--sweep", "5", "--rerank-model", SharedData.Fixture("tiny-bert-reranker"), "--rerank-model", SharedData.Fixture("tiny-colbert")]);
        CliAssert.UserError(run, "--sweep measures one reranker");
    }
}
