using System.Text.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary>index, search and eval run as a user runs them, on the shipped sample corpus and a tiny BEIR folder.</summary>
public sealed class RetrievalCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rk-cli-retrieval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string SampleCorpus => Path.Combine(SharedData.RepoRoot, "samples", "corpus");

    [Fact]
    public void Index_then_two_stage_search_over_the_sample_corpus()
    {
        string index = Path.Combine(_dir, "index");
        var built = CliProcess.Run("index", "--corpus", SampleCorpus, "--out", index, "--chunk-size", "400", "--chunk-overlap", "80");
        Assert.True(built.ExitCode == 0, built.Stderr);
        Assert.Contains("Indexed 5 documents", built.Stdout);

        var bm25 = CliProcess.Run("search", "--index", index, "--query", "How does LoRA train low-rank adapters?", "--top-k", "3", "--json");
        Assert.True(bm25.ExitCode == 0, bm25.Stderr);
        using var first = JsonDocument.Parse(bm25.Stdout);
        Assert.Equal("lora.md", first.RootElement.GetProperty("results")[0].GetProperty("source").GetString());

        var reranked = CliProcess.Run("search", "--index", index, "--query", "How does LoRA train low-rank adapters?",
            "--rerank-model", SharedData.Fixture("tiny-bert-reranker"), "--first-k", "10", "--top-k", "4", "--json");
        Assert.True(reranked.ExitCode == 0, reranked.Stderr);
        using var json = JsonDocument.Parse(reranked.Stdout);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(4, results.Count);
        Assert.Equal(10, json.RootElement.GetProperty("reranked").GetInt32());
        foreach (var (r, i) in results.Select((r, i) => (r, i)))
        {
            Assert.Equal(i + 1, r.GetProperty("rank").GetInt32());
            Assert.Equal(r.GetProperty("first_stage_rank").GetInt32() - (i + 1), r.GetProperty("rank_change").GetInt32());
            Assert.InRange(r.GetProperty("calibrated_score").GetSingle(), 0f, 1f);
        }
        Assert.True(results.Zip(results.Skip(1)).All(p => p.First.GetProperty("rerank_score").GetSingle() >= p.Second.GetProperty("rerank_score").GetSingle()));

        var table = CliProcess.Run("search", "--index", index, "--query", "attention heads", "--rerank-model", SharedData.Fixture("tiny-bert-reranker"), "--first-k", "8");
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("bm25 rank", table.Stdout);
        Assert.Contains("change", table.Stdout);
        Assert.Contains("stage 2", table.Stdout);
    }

    [Fact]
    public void Foreign_index_folder_and_bad_options_are_one_line_user_errors()
    {
        var foreign = CliProcess.Run("search", "--index", SampleCorpus, "--query", "x");
        Assert.Equal(2, foreign.ExitCode);
        Assert.Contains("not a RerankKit index", foreign.Stderr);
        Assert.Single(foreign.Stderr.Trim().Split('\n'));

        var stage = CliProcess.Run("eval", "--dataset", _dir, "--first-stage", "sparse");
        Assert.Equal(2, stage.ExitCode);
        Assert.Contains("bm25, dense, hybrid or colbert", stage.Stderr);
    }

    [Fact]
    public void Eval_prints_json_metrics_and_writes_reports_and_runs()
    {
        string data = Path.Combine(_dir, "tiny");
        Directory.CreateDirectory(Path.Combine(data, "qrels"));
        File.WriteAllLines(Path.Combine(data, "corpus.jsonl"),
        [
            "{\"_id\": \"c1\", \"title\": \"Cats\", \"text\": \"Cats purr and sleep most of the day.\"}",
            "{\"_id\": \"c2\", \"title\": \"Dogs\", \"text\": \"Dogs bark at the mail carrier.\"}",
            "{\"_id\": \"c3\", \"title\": \"Birds\", \"text\": \"Birds migrate south in winter.\"}",
        ]);
        File.WriteAllLines(Path.Combine(data, "queries.jsonl"), ["{\"_id\": \"q1\", \"text\": \"why do cats purr\"}", "{\"_id\": \"q2\", \"text\": \"where do birds migrate\"}"]);
        File.WriteAllLines(Path.Combine(data, "qrels", "test.tsv"), ["query-id\tcorpus-id\tscore", "q1\tc1\t1", "q2\tc3\t1"]);

        var firstOnly = CliProcess.Run("eval", "--dataset", data, "--json");
        Assert.True(firstOnly.ExitCode == 0, firstOnly.Stderr);
        using (var json = JsonDocument.Parse(firstOnly.Stdout))
        {
            var metrics = json.RootElement.GetProperty("metrics");
            Assert.False(metrics.TryGetProperty("reranked", out _));
            // BM25 puts each query's only relevant document first.
            Assert.Equal(1.0, metrics.GetProperty("first_stage").GetProperty("ndcg@10").GetDouble(), 12);
            Assert.Equal(1.0, metrics.GetProperty("first_stage").GetProperty("recall@100").GetDouble(), 12);
            Assert.Equal(1.0, metrics.GetProperty("first_stage").GetProperty("mrr@10").GetDouble(), 12);
        }

        string outDir = Path.Combine(_dir, "out");
        var reranked = CliProcess.Run("eval", "--dataset", data, "--rerank-model", SharedData.Fixture("tiny-bert-reranker"),
            "--first-k", "3", "--k", "2", "--sweep", "2,3", "--json", "--out", outDir);
        Assert.True(reranked.ExitCode == 0, reranked.Stderr);
        using var report = JsonDocument.Parse(reranked.Stdout);
        var root = report.RootElement;
        Assert.True(root.GetProperty("metrics").GetProperty("reranked").TryGetProperty("ndcg@2", out _));
        Assert.Equal(1.0, root.GetProperty("metrics").GetProperty("reranked").GetProperty("recall@3").GetDouble(), 12);
        Assert.Equal(2, root.GetProperty("sweep").GetArrayLength());
        Assert.Equal(1, root.GetProperty("sweep").EnumerateArray().Count(r => r.GetProperty("best_quality").GetBoolean()));
        Assert.StartsWith("Use first-k", root.GetProperty("recommendation").GetString());
        Assert.InRange(root.GetProperty("impact").GetProperty("top1_change_rate").GetDouble(), 0, 1);

        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(reranked.Stdout), System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))));
        Assert.Contains("## First-stage K sweep", File.ReadAllText(Path.Combine(outDir, "report.md")));
        // Reranking reorders the candidates BM25 found (only documents sharing a term), never adds or drops any.
        var firstStageLines = File.ReadAllLines(Path.Combine(outDir, "bm25.trec"));
        var rerankedLines = File.ReadAllLines(Path.Combine(outDir, "bm25-reranked.trec"));
        Assert.Equal(firstStageLines.Select(l => l.Split(' ')[2]).Order(), rerankedLines.Select(l => l.Split(' ')[2]).Order());
        Assert.StartsWith("q1 Q0 c1 1 ", File.ReadAllLines(Path.Combine(outDir, "bm25.trec"))[0]);
    }
}
