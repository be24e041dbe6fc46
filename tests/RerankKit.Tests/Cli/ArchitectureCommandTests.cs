using System.Text.Json;
using RerankKit.Tests.Architectures;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary>The command line on the README-architectures.md fixtures: per-label scores for an NLI model, the native
/// engine's one-line refusals for families it does not have, and the remote-code refusal.</summary>
public class ArchitectureCommandTests
{
    private static string Fixture(string name) => SharedData.Fixture(name);

    private static string NliPairs(ScratchFolder dir, IReadOnlyList<ArchitectureCase> cases) =>
        dir.Write("pairs.jsonl", string.Concat(cases.Select(c => JsonSerializer.Serialize(new { query = c.First, document = c.Second }) + "\n")));

    [Fact]
    public void ScorePrintsEveryLabelOfAnNliModelRawAndWithApplySoftmax()
    {
        var cases = ArchitectureGolden.Cases("tiny-distilbert-nli").Where(c => c.MaxLength == 512).Take(6).ToList();
        using var dir = new ScratchFolder();
        string pairs = NliPairs(dir, cases);
        foreach (bool softmax in new[] { false, true })
        {
            var run = softmax
                ? CliProcess.Run("score", "--model", Fixture("tiny-distilbert-nli"), "--pairs", pairs, "--apply-softmax")
                : CliProcess.Run("score", "--model", Fixture("tiny-distilbert-nli"), "--pairs", pairs);
            Assert.True(run.ExitCode == 0, run.Stderr);
            var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(cases.Count, lines.Length);
            for (int i = 0; i < cases.Count; i++)
            {
                using var doc = JsonDocument.Parse(lines[i]);
                var scores = doc.RootElement.GetProperty("scores").EnumerateObject().ToList();
                Assert.Equal(["contradiction", "entailment", "neutral"], scores.Select(s => s.Name));
                var expected = softmax ? cases[i].Probabilities! : cases[i].Logits!;
                for (int j = 0; j < 3; j++)
                    ArchitectureGolden.Close(expected[j], scores[j].Value.GetDouble(), $"case {i} {scores[j].Name}");
            }
        }
    }

    [Fact]
    public void OneLabelModelStillPrintsOneScore()
    {
        var c = ArchitectureGolden.Cases("tiny-electra-reranker")[0];
        using var dir = new ScratchFolder();
        var run = CliProcess.Run("score", "--model", Fixture("tiny-electra-reranker"), "--pairs", NliPairs(dir, [c]));
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        ArchitectureGolden.Close(c.Score!.Value, doc.RootElement.GetProperty("score").GetDouble(), "electra score");
    }

    [Fact]
    public void RerankRefusesAMultiLabelModel() =>
        CliAssert.UserError(CliProcess.Run("rerank", "--model", Fixture("tiny-distilbert-nli"), "-q", "a", "--doc", "b"), "has 3 labels (contradiction, entailment, neutral)");

    [Fact]
    public void InstructionIsForLlmRerankersOnly()
    {
        using var dir = new ScratchFolder();
        var c = ArchitectureGolden.Cases("tiny-electra-reranker")[0];
        CliAssert.UserError(CliProcess.Run("score", "--model", Fixture("tiny-electra-reranker"), "--pairs", NliPairs(dir, [c]), "--instruction", "x"),
            "is not an LLM reranker");
    }

    [Theory]
    [InlineData("tiny-electra-reranker", "ElectraForSequenceClassification")]
    [InlineData("tiny-modernbert-reranker", "ModernBertForSequenceClassification")]
    [InlineData("tiny-qwen3-reranker", "Qwen3ForCausalLM")]
    public void NativeEngineRefusesOtherFamilies(string fixture, string architecture)
    {
        CliAssert.UserError(CliProcess.Run("rerank", "--model", Fixture(fixture), "-q", "a", "--doc", "b", "--engine", "native"),
            $"the native engine runs BERT, XLM-RoBERTa, RoBERTa, CamemBERT only; {architecture}");
    }

    [Fact]
    public void ExplainAndTrainRefuseOtherFamiliesWithOneLineAndWriteNothing()
    {
        using var dir = new ScratchFolder();
        string train = dir.Write("train.jsonl", "{\"query\":\"a\",\"positive\":\"b\",\"negative\":\"c\"}\n");
        string outDir = Path.Combine(dir.Path, "out");
        CliAssert.UserError(CliProcess.Run("explain", "-m", Fixture("tiny-modernbert-reranker"), "-o", outDir, "-q", "a", "-d", "b"),
            "ModernBertForSequenceClassification (model_type modernbert) runs on the onnx engine");
        CliAssert.UserError(CliProcess.Run("train", "reranker", "--base-model", Fixture("tiny-electra-reranker"), "--train", train, "--out", outDir),
            "ElectraForSequenceClassification (model_type electra) runs on the onnx engine");
        CliAssert.UserError(CliProcess.Run("train", "embedder", "--base-model", Fixture("tiny-mpnet-embedder"), "--train", train, "--out", outDir),
            "MPNetModel (model_type mpnet) runs on the onnx engine");
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void RemoteCodeIsRefusedNamingTheFile()
    {
        using var dir = new ScratchFolder();
        string model = Path.Combine(dir.Path, "polish");
        Directory.CreateDirectory(model);
        File.Copy(SharedData.Get("incoming/polish-reranker-bge-v2/config.json"), Path.Combine(model, "config.json"));
        var c = ArchitectureGolden.Cases("tiny-electra-reranker")[0];
        CliAssert.UserError(CliProcess.Run("score", "--model", model, "--pairs", NliPairs(dir, [c])),
            $"{Path.Combine(model, "config.json")} has auto_map (modeling_xlm_roberta.XLMRobertaConfig");
    }

    [Fact]
    public void ScoreWithAnInstructionOnTheQwen3Reranker()
    {
        string defaultInstruction = ArchitectureGolden.Root("tiny-qwen3-reranker").GetProperty("default_instruction").GetString()!;
        var c = ArchitectureGolden.Cases("tiny-qwen3-reranker").First(x => x.Instruction != defaultInstruction && x.MaxLength == 8192);
        using var dir = new ScratchFolder();
        var run = CliProcess.Run("score", "--model", Fixture("tiny-qwen3-reranker"), "--pairs", NliPairs(dir, [c]), "--instruction", c.Instruction!);
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        ArchitectureGolden.Close(c.Score!.Value, doc.RootElement.GetProperty("score").GetDouble(), "qwen3 score with instruction");
    }

    [Fact]
    public void EmbedWithTheQueryPromptOnTheQwen3Embedder()
    {
        var c = ArchitectureGolden.Cases("tiny-qwen3-embedder").First(x => x.PromptName == "query" && x.MaxLength == 8192);
        var run = CliProcess.Run("embed", "--model", Fixture("tiny-qwen3-embedder"), "--text", c.First, "--prompt-name", "query");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var vector = doc.RootElement.GetProperty("embedding").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(c.Embedding!.Length, vector.Length);
        for (int d = 0; d < vector.Length; d++)
            ArchitectureGolden.Close(c.Embedding[d], vector[d], $"qwen3 query embedding [{d}]");
    }
}
