using System.Text.Json;
using RerankKit.Tests.Inference;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

public class ModelCommandsTests
{
    private const double Tolerance = 1e-4;

    private static string Jsonl(ScratchFolder dir, string name, IEnumerable<object> rows) =>
        dir.Write(name, string.Join('\n', rows.Select(r => JsonSerializer.Serialize(r))) + "\n");

    [Fact]
    public void ScorePrintsOneScorePerPairInOrderMatchingTheGoldenLogits()
    {
        var cases = GoldenFile.Cases("tiny-xlmr-reranker").Where(c => c.MaxLength == 512).ToList();
        using var dir = new ScratchFolder();
        string pairs = Jsonl(dir, "pairs.jsonl", cases.Select(c => new { query = c.Query, document = c.Document }));
        var run = CliProcess.Run("score", "--model", SharedData.Fixture("tiny-xlmr-reranker"), "--pairs", pairs, "--activation", "identity", "--batch-size", "3");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var scores = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(cases.Count, scores.Count);
        for (int i = 0; i < cases.Count; i++)
            Assert.True(Math.Abs(scores[i] - cases[i].Logit!.Value) < Tolerance, $"pair {i}: {scores[i]} vs {cases[i].Logit}");
    }

    [Fact]
    public void RerankJsonIsBestFirstAndKeepsMetadataAndEmbedderCosine()
    {
        var cases = GoldenFile.Cases("tiny-bert-reranker").Where(c => c.MaxLength == 512).ToList();
        string query = cases[0].Query!;
        var docs = cases.Where(c => c.Query == query).ToList();
        using var dir = new ScratchFolder();
        string file = Jsonl(dir, "docs.jsonl", docs.Select((d, i) => new { text = d.Document, id = $"doc-{i}" }));
        var run = CliProcess.Run("rerank", "-m", SharedData.Fixture("tiny-bert-reranker"), "--query", query, "--docs", file, "--json",
            "--embed-model", SharedData.Fixture("tiny-bert-embedder"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        var results = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(docs.Count, results.Count);
        var expectedOrder = Enumerable.Range(0, docs.Count).OrderByDescending(i => docs[i].Logit!.Value).ToList();
        Assert.Equal(expectedOrder, results.Select(r => r.GetProperty("index").GetInt32()));
        foreach (var r in results)
        {
            int index = r.GetProperty("index").GetInt32();
            Assert.Equal(docs[index].Logit!.Value, r.GetProperty("score").GetDouble(), Tolerance);
            Assert.Equal(docs[index].Document, r.GetProperty("document").GetString());
            Assert.Equal($"doc-{index}", r.GetProperty("metadata").GetProperty("id").GetString());
            Assert.InRange(r.GetProperty("cosine").GetDouble(), -1.0001, 1.0001);
        }
    }

    [Fact]
    public void RerankTableShowsTopK()
    {
        var run = CliProcess.Run("rerank", "-m", SharedData.Fixture("tiny-bert-reranker"), "-q", "How many people live in Berlin?",
            "--doc", "Berlin is well known for its museums.", "--doc", "Berlin had a population of 3,520,031 registered inhabitants.", "--top-k", "1");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("score", run.Stdout);
        Assert.Equal(1, new[] { "museums", "population" }.Count(w => run.Stdout.Contains(w)));
    }

    [Fact]
    public void EmbedPrintsTheGoldenEmbeddingsInOrder()
    {
        var cases = GoldenFile.Cases("tiny-bert-embedder");
        using var dir = new ScratchFolder();
        string input = Jsonl(dir, "texts.jsonl", cases.Select(c => new { text = c.Text }));
        var run = CliProcess.Run("embed", "--model", SharedData.Fixture("tiny-bert-embedder"), "--input", input);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cases.Count, lines.Length);
        for (int i = 0; i < cases.Count; i++)
        {
            var vector = JsonDocument.Parse(lines[i]).RootElement.GetProperty("embedding").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Assert.True(vector.Zip(cases[i].Embedding!).All(p => Math.Abs(p.First - p.Second) < Tolerance), $"text {i}");
        }
    }

    [Fact]
    public void EmbedNoNormalizeGivesTheRawMeanPool()
    {
        var run = CliProcess.Run("embed", "--model", SharedData.Fixture("tiny-bert-embedder"), "--text", "The weather is lovely today.", "--no-normalize");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var vector = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("embedding").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.True(Math.Abs(Math.Sqrt(vector.Sum(x => x * x)) - 1) > 1e-3);
    }

    [Fact]
    public void TokenizeTheBerlinPairWithTheRealMsMarcoTokenizerFiles()
    {
        // The real model folder has no weights, so it cannot score; tokenizing needs none. The tiny fixture uses the
        // same tokenizer files, and its golden ids are the independent reference.
        var golden = GoldenFile.Cases("tiny-bert-reranker").First(c => c.MaxLength == 512 && c.Document!.StartsWith("Berlin had"));
        var run = CliProcess.Run("tokenize", "--model", SharedData.Model("ms-marco-MiniLM-L6-v2"), "--text", golden.Query!, "--pair", golden.Document!);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(golden.InputIds, root.GetProperty("input_ids").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal(golden.TokenTypeIds!, root.GetProperty("token_type_ids").EnumerateArray().Select(x => x.GetInt32()));
        var tokens = root.GetProperty("tokens").EnumerateArray().Select(x => x.GetString()).ToList();
        Assert.Equal("[CLS]", tokens[0]);
        Assert.Contains("berlin", tokens);
    }

    [Fact]
    public void TokenizeHonoursMaxLength()
    {
        var golden = GoldenFile.Cases("tiny-bert-reranker").First(c => c.MaxLength == 48);
        var run = CliProcess.Run("tokenize", "--model", SharedData.Fixture("tiny-bert-reranker"), "--text", golden.Query!, "--pair", golden.Document!, "--max-length", "48");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(golden.InputIds, JsonDocument.Parse(run.Stdout).RootElement.GetProperty("input_ids").EnumerateArray().Select(x => x.GetInt32()));
    }

    [Fact]
    public void TokenizeWorksOnAFolderWithOnlyTokenizerFiles()
    {
        // fixtures/tokenizers/t5-small holds tokenizer.json and tokenizer_config.json only; its golden.json was
        // written by the official tokenizers library.
        string folder = SharedData.Fixture("tokenizers/t5-small");
        using var golden = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "golden.json")));
        var single = golden.RootElement.GetProperty("single").EnumerateArray().First(c => c.GetProperty("text").GetString() == "symptoms of vitamin D deficiency");
        var run = CliProcess.Run("tokenize", "--model", folder, "--text", "symptoms of vitamin D deficiency");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(single.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()),
            JsonDocument.Parse(run.Stdout).RootElement.GetProperty("input_ids").EnumerateArray().Select(x => x.GetInt32()));
    }
}
