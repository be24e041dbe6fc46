using System.Text.Json;
using RerankKit.Inference;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;
using RerankKit.Tokenization;
using static RerankKit.Tests.Architectures.ArchitectureGolden;

namespace RerankKit.Tests.Architectures;

/// <summary>tiny-qwen3-reranker on the golden ids: the whole last-position logit row of a single sequence, then the
/// Qwen3-Reranker prompt laid out around golden content ids and scored batched with left padding.</summary>
public class LlmRerankerModelSideTests
{
    private const string Fixture = "tiny-qwen3-reranker";

    private static OnnxEncoderBackend Backend(ModelFolder folder) =>
        (OnnxEncoderBackend)OnnxBackendFactory.Instance.Create(folder, new BackendSettings { Threads = 1 });

    [Fact]
    public void FolderIsAnLlmRerankerWithTheModelCardsMaxLength()
    {
        var folder = ModelFolder.Open(SharedData.Fixture(Fixture));
        Assert.Equal(ModelKind.CrossEncoder, folder.Kind);
        Assert.Equal(ScoreRule.YesNoLastToken, folder.ScoreRule);
        Assert.True(folder.PadsLeft);
        Assert.Equal(8192, folder.MaxLength);
    }

    [Fact]
    public void TemplateIsTheGoldensPrompt()
    {
        var root = Root(Fixture);
        var t = RerankerPromptTemplate.Qwen3;
        Assert.Equal(root.GetProperty("prefix").GetString(), t.Prefix);
        Assert.Equal(root.GetProperty("suffix").GetString(), t.Suffix);
        Assert.Equal(root.GetProperty("format_instruction").GetString(), t.Format);
        Assert.Equal(root.GetProperty("default_instruction").GetString(), t.DefaultInstruction);
    }

    [Fact]
    public void LastPositionRowOneAtATime()
    {
        var root = Root(Fixture);
        int yes = root.GetProperty("token_true_id").GetInt32(), no = root.GetProperty("token_false_id").GetInt32();
        var folder = ModelFolder.Open(SharedData.Fixture(Fixture));
        using var backend = Backend(folder);
        foreach (var c in Cases(Fixture))
        {
            var row = backend.RunLastTokenLogits(TokenBatch.Pad([c.InputIds], null, 0, padLeft: true));
            Assert.Equal(folder.Config.VocabSize, row.Length);
            Close(c.Logits![1], row[yes], $"'{c.First}' logit yes");
            Close(c.Logits[0], row[no], $"'{c.First}' logit no");
            var top = Enumerable.Range(0, row.Length).OrderByDescending(i => row[i]).Take(5).ToArray();
            for (int k = 0; k < 5; k++)
                Close(c.Top5![k].Logit, row[c.Top5[k].Id], $"'{c.First}' top-{k} logit");
            Assert.Equal(c.Top5!.Select(x => x.Id).ToHashSet(), top.ToHashSet());
            double max = row.Max();
            Close(c.LogSumExp!.Value, max + Math.Log(row.Sum(x => Math.Exp(x - max))), $"'{c.First}' logsumexp");
        }
    }

    [Fact]
    public void RightPaddingReadsTheSameLastRealToken()
    {
        var cases = Cases(Fixture).Where(c => c.MaxLength == 96).Take(4).ToArray();
        var folder = ModelFolder.Open(SharedData.Fixture(Fixture));
        using var backend = Backend(folder);
        int yes = Root(Fixture).GetProperty("token_true_id").GetInt32();
        var ids = cases.Select(c => (IReadOnlyList<int>)c.InputIds).ToList();
        Assert.True(ids.Select(x => x.Count).Distinct().Count() > 1);
        foreach (bool left in new[] { true, false })
        {
            var rows = backend.RunLastTokenLogits(TokenBatch.Pad(ids, null, 151643, left));
            for (int i = 0; i < cases.Length; i++)
                Close(cases[i].Logits![1], rows[i * folder.Config.VocabSize + yes], $"{(left ? "left" : "right")} padding case {i}");
        }
    }

    /// <summary>The inner tokenizer knows the prefix, the suffix, "yes", "no" and each case's content text (with the
    /// max length the model card's rule gives it); everything else is the reranker's own layout.</summary>
    private static CrossEncoder Reranker(int maxLength, string? instruction, IEnumerable<ArchitectureCase> cases)
    {
        var root = Root(Fixture);
        var prefix = Ints(root.GetProperty("prefix_ids"));
        var suffix = Ints(root.GetProperty("suffix_ids"));
        var inner = new GoldenIdsTokenizer(root.GetProperty("pad_token_id").GetInt32(), false)
            .Add(root.GetProperty("prefix").GetString()!, null, prefix)
            .Add(root.GetProperty("suffix").GetString()!, null, suffix)
            .Add("yes", null, [root.GetProperty("token_true_id").GetInt32()])
            .Add("no", null, [root.GetProperty("token_false_id").GetInt32()]);
        foreach (var c in cases)
        {
            Assert.Equal(prefix, c.InputIds[..prefix.Length]);
            Assert.Equal(suffix, c.InputIds[^suffix.Length..]);
            string content = RerankerPromptTemplate.Qwen3.Content(c.Instruction!, c.First, c.Second!);
            inner.Add(content, null, c.InputIds[prefix.Length..^suffix.Length], maxLength: maxLength - prefix.Length - suffix.Length);
        }
        var folder = ModelFolder.Open(SharedData.Fixture(Fixture), maxLength);
        return new CrossEncoder(Fixture, folder, inner, Backend(folder), new CrossEncoderOptions { Instruction = instruction });
    }

    [Fact]
    public void ScoresBatchedWithLeftPaddingAndMixedLengths()
    {
        string defaultInstruction = Root(Fixture).GetProperty("default_instruction").GetString()!;
        int groups = 0;
        foreach (var group in Cases(Fixture).GroupBy(c => (c.MaxLength, c.Instruction)))
        {
            var cases = group.ToList();
            string? instruction = group.Key.Instruction == defaultInstruction ? null : group.Key.Instruction;
            using var model = Reranker(group.Key.MaxLength, instruction, cases);
            Assert.Equal(group.Key.Instruction, model.Instruction);
            var pairs = cases.Select(c => (c.First, c.Second!)).ToArray();
            foreach (var c in cases)
                Assert.Equal(c.InputIds, model.Tokenize(c.First, c.Second!).InputIds);
            foreach (int batchSize in new[] { 1, 3, 64 })
            {
                var scores = model.Predict(pairs, new PredictOptions { BatchSize = batchSize });
                var logits = model.Predict(pairs, new PredictOptions { BatchSize = batchSize, ActivationFn = ScoreActivation.Identity });
                for (int i = 0; i < cases.Count; i++)
                {
                    Close(cases[i].Score!.Value, scores[i], $"{group.Key} batch {batchSize} case {i} score");
                    Close(cases[i].Logits![1] - cases[i].Logits![0], logits[i], $"{group.Key} batch {batchSize} case {i} yes-no");
                }
            }
            groups++;
        }
        Assert.Equal(6, groups);
    }
}
