using System.Text.Json;
using RerankKit.Tests.Infrastructure;
using RerankKit.Tests.Listwise;
using static RerankKit.Tests.Listwise.ScriptedChatServer;

namespace RerankKit.Tests.Cli;

/// <summary><c>rerankkit rerank --llm-endpoint</c> as a user runs it, against the scripted chat server on loopback.</summary>
public sealed class LlmRerankCommandTests
{
    private static readonly string[] FourDocs = ["--doc", "d0", "--doc", "d1", "--doc", "d2", "--doc", "d3"];

    private static string[] Rerank(ScriptedChatServer server, params string[] extra) =>
        ["rerank", "--llm-endpoint", server.Endpoint.ToString(), "--llm-model", "scripted-model", "-q", "q", .. FourDocs, .. extra];

    [Fact]
    public async Task JsonHasTheSlidingWindowOrderTheReciprocalRankScoresAndTheUsage()
    {
        // 4 documents, window 3, step 1: positions [1,4) then [0,3), each reversed by the model:
        //   [0 1 2 3] -> [0 | 3 2 1] -> [2 3 0 | 1]; --top-k 3 keeps 2, 3, 0.
        await using var server = await StartAsync();
        server.Fallback = Reversing();
        var run = CliProcess.RunWithEnvironment(new Dictionary<string, string> { ["RERANKKIT_LLM_API_KEY"] = "sk-cli" },
            Rerank(server, "--llm-window", "3", "--llm-step", "1", "--top-k", "3", "--json", "--llm-prompt-cost", "0.5", "--llm-completion-cost", "2"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal("llm-listwise", root.GetProperty("kind").GetString());
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([2, 3, 0], results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(["d2", "d3", "d0"], results.Select(r => r.GetProperty("document").GetString()));
        Assert.Equal([1.0, 0.5, 1.0 / 3], results.Select(r => r.GetProperty("score").GetDouble()), new ToleranceComparer(1e-6));
        var usage = root.GetProperty("usage");
        Assert.Equal(2, usage.GetProperty("windows").GetInt32());
        Assert.Equal(200, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(20, usage.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(220, usage.GetProperty("total_tokens").GetInt64());
        Assert.Equal(0.14m, usage.GetProperty("cost").GetDecimal());   // 0.2 * 0.5 + 0.02 * 2
        Assert.Equal([["d1", "d2", "d3"], ["d0", "d3", "d2"]], server.Requests.Select(r => r.Passages.ToArray()));
        Assert.All(server.Requests, r => Assert.Equal("scripted-model", r.Body.GetProperty("model").GetString()));
        Assert.All(server.Requests, r => Assert.Equal("Bearer sk-cli", r.Authorization));
    }

    [Fact]
    public async Task TheTableEndsWithTheUsageLine()
    {
        await using var server = await StartAsync();
        server.Fallback = Answering("[2] > [1] > [4] > [3]");
        var run = CliProcess.Run(Rerank(server));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("LLM: 1 request(s), 0 retried, 0 answer(s) repaired; tokens 100 prompt + 10 completion = 110", run.Stdout);
        Assert.True(run.Stdout.IndexOf("d1", StringComparison.Ordinal) < run.Stdout.IndexOf("d0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEndpointThatKeepsFailingIsOneLineAndExit2()
    {
        await using var server = await StartAsync();
        server.Fallback = new Step(Status: 500);
        var run = CliProcess.Run(Rerank(server, "--llm-retries", "1"));

        CliAssert.UserError(run, "failed 2 time(s)");
        Assert.Contains("HTTP 500", run.Stderr);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task SearchReranksTheFirstStagesCandidatesWithTheLlm()
    {
        using var dir = new ScratchFolder();
        string index = Path.Combine(dir.Path, "index");
        string corpus = Path.Combine(SharedData.RepoRoot, "samples", "corpus");
        Assert.Equal(0, CliProcess.Run("index", "--corpus", corpus, "--out", index).ExitCode);
        const string query = "How does LoRA train low-rank adapters?";
        var bm25 = CliProcess.Run("search", "--index", index, "-q", query, "--top-k", "6", "--json");
        Assert.True(bm25.ExitCode == 0, bm25.Stderr);
        var firstStage = JsonDocument.Parse(bm25.Stdout).RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(6, firstStage.Count);

        // One window of the 6 candidates, reversed by the model: the final top 3 are BM25's ranks 6, 5, 4.
        await using var server = await StartAsync();
        server.Fallback = Reversing();
        var run = CliProcess.Run("search", "--index", index, "-q", query, "--first-k", "6", "--top-k", "3", "--json",
            "--llm-endpoint", server.Endpoint.ToString(), "--llm-model", "scripted-model");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([firstStage[5], firstStage[4], firstStage[3]], results.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal([6, 5, 4], results.Select(r => r.GetProperty("first_stage_rank").GetInt32()));
        Assert.Equal("scripted-model", root.GetProperty("reranker").GetString());
        Assert.Equal(1, root.GetProperty("usage").GetProperty("windows").GetInt32());
        Assert.Equal(6, Assert.Single(server.Requests).Passages.Count);

        var table = CliProcess.Run("search", "--index", index, "-q", query, "--first-k", "6", "--top-k", "3",
            "--llm-endpoint", server.Endpoint.ToString(), "--llm-model", "scripted-model");
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("LLM: 1 request(s)", table.Stdout);
    }

    [Fact]
    public async Task EvalMeasuresTheLlmRerankedRun()
    {
        // A model that reverses BM25's list puts c1 third: MRR@3 1/3, nDCG@3 1/log2(4) = 0.5.
        using var dir = CatsDataset();
        await using var server = await StartAsync();
        server.Fallback = Reversing();

        var run = CliProcess.Run("eval", "--dataset", dir.Path, "--first-k", "3", "--k", "3", "--json",
            "--llm-endpoint", server.Endpoint.ToString(), "--llm-model", "scripted-model", "--llm-prompt-cost", "1");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        var metrics = root.GetProperty("metrics");
        Assert.Equal(1.0, metrics.GetProperty("first_stage").GetProperty("mrr@3").GetDouble(), 12);
        Assert.Equal(1.0 / 3, metrics.GetProperty("reranked").GetProperty("mrr@3").GetDouble(), 12);
        Assert.Equal(0.5, metrics.GetProperty("reranked").GetProperty("ndcg@3").GetDouble(), 12);
        Assert.Equal(1, root.GetProperty("usage").GetProperty("windows").GetInt32());
        Assert.Equal(0.1m, root.GetProperty("usage").GetProperty("cost").GetDecimal());
        Assert.Equal(3, Assert.Single(server.Requests).Passages.Count);
    }

    [Fact]
    public async Task EvalComparesTheLlmWithAModelFolderOverTheSameCandidates()
    {
        using var dir = CatsDataset();
        await using var server = await StartAsync();
        server.Fallback = Reversing();
        string[] slice = ["eval", "--dataset", dir.Path, "--first-k", "3", "--k", "3", "--json"];
        string[] model = ["--rerank-model", SharedData.Fixture("tiny-bert-reranker")];
        string[] llm = ["--llm-endpoint", server.Endpoint.ToString(), "--llm-model", "scripted-model", "--llm-prompt-cost", "1"];

        var compared = CliProcess.Run([.. slice, .. model, .. llm]);
        var modelAlone = CliProcess.Run([.. slice, .. model]);
        var llmAlone = CliProcess.Run([.. slice, .. llm]);

        Assert.True(compared.ExitCode == 0, compared.Stderr);
        Assert.True(modelAlone.ExitCode == 0, modelAlone.Stderr);
        Assert.True(llmAlone.ExitCode == 0, llmAlone.Stderr);
        var rows = JsonDocument.Parse(compared.Stdout).RootElement.GetProperty("rerankers");
        Assert.Equal(2, rows.GetArrayLength());
        Assert.Equal("cross-encoder", rows[0].GetProperty("kind").GetString());
        Assert.Equal("llm-listwise", rows[1].GetProperty("kind").GetString());
        var alone = new[] { JsonDocument.Parse(modelAlone.Stdout).RootElement, JsonDocument.Parse(llmAlone.Stdout).RootElement };
        for (int i = 0; i < 2; i++)
            Assert.Equal(alone[i].GetProperty("metrics").GetProperty("reranked").GetRawText(), rows[i].GetProperty("metrics").GetRawText());
        // The reversing model puts c1 third, as when the LLM is evaluated alone; its usage rides on its own row.
        Assert.Equal(1.0 / 3, rows[1].GetProperty("metrics").GetProperty("mrr@3").GetDouble(), 12);
        Assert.Equal(0.1m, rows[1].GetProperty("usage").GetProperty("cost").GetDecimal());
        Assert.False(rows[0].TryGetProperty("usage", out _));
    }

    /// <summary>Every document mentions cats, so BM25 returns all three for "cats purr", c1 (both words, the one
    /// relevant document) first.</summary>
    private static ScratchFolder CatsDataset()
    {
        var dir = new ScratchFolder();
        dir.Write("corpus.jsonl", string.Join('\n',
            "{\"_id\": \"c1\", \"title\": \"\", \"text\": \"Cats purr when they are content.\"}",
            "{\"_id\": \"c2\", \"title\": \"\", \"text\": \"Cats sleep most of the day.\"}",
            "{\"_id\": \"c3\", \"title\": \"\", \"text\": \"Cats hunt mice at night.\"}") + "\n");
        dir.Write("queries.jsonl", "{\"_id\": \"q1\", \"text\": \"cats purr\"}\n");
        dir.Write(Path.Combine("qrels", "test.tsv"), "query-id\tcorpus-id\tscore\nq1\tc1\t1\n");
        return dir;
    }

    public static TheoryData<string[], string> BadCommandLines => new()
    {
        { ["rerank", "-q", "q", "--doc", "a"], "give --model M (a reranker folder or hub id) or --llm-endpoint URL --llm-model NAME" },
        { ["rerank", "-m", "/no/such/model", "--llm-endpoint", "http://127.0.0.1:9/v1", "--llm-model", "m", "-q", "q", "--doc", "a"], "give either --model or --llm-endpoint, not both" },
        { ["rerank", "--llm-endpoint", "http://127.0.0.1:9/v1", "-q", "q", "--doc", "a"], "--llm-endpoint needs --llm-model NAME" },
        { ["rerank", "--llm-endpoint", "localhost:8000", "--llm-model", "m", "-q", "q", "--doc", "a"], "--llm-endpoint must be an http or https URL" },
        { ["rerank", "--llm-endpoint", "http://127.0.0.1:9/v1", "--llm-model", "m", "--llm-window", "4", "--llm-step", "5", "-q", "q", "--doc", "a"], "--llm-step must be at most --llm-window (4), not 5" },
        { ["rerank", "--llm-endpoint", "http://127.0.0.1:9/v1", "--llm-model", "m", "--llm-window", "1", "-q", "q", "--doc", "a"], "--llm-window must be at least 2" },
        { ["rerank", "--llm-endpoint", "http://127.0.0.1:9/v1", "--llm-model", "m", "--llm-timeout", "0", "-q", "q", "--doc", "a"], "--llm-timeout must be greater than 0" },
        { ["rerank", "--llm-endpoint", "http://127.0.0.1:9/v1", "--llm-model", "m", "--long-docs", "-q", "q", "--doc", "a"], "--activation, --long-docs and --instruction apply to model folders" },
        { ["search", "--index", "/no/such/index", "-q", "q", "--rerank-model", "m", "--llm-endpoint", "http://127.0.0.1:9/v1", "--llm-model", "m"], "give either --rerank-model or --llm-endpoint, not both" },
        { ["eval", "--dataset", "/no/such/dataset", "--sweep", "10,20", "--rerank-model", "m", "--llm-endpoint", "http://127.0.0.1:9/v1", "--llm-model", "m"], "--sweep measures one reranker" },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public void BadLlmOptionsAreOneLineAndExit2(string[] args, string expected) =>
        CliAssert.UserError(CliProcess.Run(args), expected);

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
