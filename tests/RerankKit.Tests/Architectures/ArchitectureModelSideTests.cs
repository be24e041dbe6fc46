using RerankKit.Inference;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;
using static RerankKit.Tests.Architectures.ArchitectureGolden;

namespace RerankKit.Tests.Architectures;

/// <summary>The model side of every README-architectures.md fixture on the golden input ids (no tokenizer involved):
/// the graph's declared inputs bound, the right output read, the score rule, pooling and padding side applied. One
/// sequence at a time through the backend, then batched with mixed lengths through CrossEncoder / BiEncoder.</summary>
public class ArchitectureModelSideTests
{
    public static TheoryData<string> Classifiers => new() { "tiny-modernbert-reranker", "tiny-electra-reranker", "tiny-distilbert-nli" };

    public static TheoryData<string> Embedders => new() { "tiny-mpnet-embedder", "tiny-qwen3-embedder" };

    private static readonly int[] BatchSizes = [1, 3, 64];

    private static OnnxEncoderBackend Backend(ModelFolder folder) =>
        (OnnxEncoderBackend)OnnxBackendFactory.Instance.Create(folder, new BackendSettings { Threads = 1 });

    private static TokenBatch Single(int[] ids, int[]? types = null) =>
        TokenBatch.Pad([ids], types is null ? null : [types], 0);

    [Theory]
    [MemberData(nameof(Classifiers))]
    [MemberData(nameof(Embedders))]
    [InlineData("tiny-qwen3-reranker")]
    public void BindsExactlyTheInputsTheGraphDeclares(string fixture)
    {
        var folder = ModelFolder.Open(SharedData.Fixture(fixture));
        using var backend = Backend(folder);
        var declared = Root(fixture).GetProperty("onnx_inputs").EnumerateArray().Select(x => x.GetString()!).ToArray();
        Assert.Equal(declared.Contains("token_type_ids"), backend.UsesTokenTypeIds);
        Assert.Equal(declared.Contains("position_ids"), backend.UsesPositionIds);
    }

    [Theory]
    [MemberData(nameof(Classifiers))]
    public void ClassifierLogitsOneAtATime(string fixture)
    {
        var folder = ModelFolder.Open(SharedData.Fixture(fixture));
        using var backend = Backend(folder);
        foreach (var c in Cases(fixture))
        {
            var logits = backend.RunClassifier(Single(c.InputIds, c.TokenTypeIds));
            Assert.Equal(c.Logits!.Length, logits.Length);
            for (int j = 0; j < logits.Length; j++)
                Close(c.Logits[j], logits[j], $"{fixture} '{c.First}' label {j}");
        }
    }

    private static CrossEncoder ClassifierWithGoldenIds(string fixture, int maxLength, IEnumerable<ArchitectureCase> cases)
    {
        var folder = ModelFolder.Open(SharedData.Fixture(fixture), maxLength);
        var tokenizer = new GoldenIdsTokenizer(folder.Config.PadTokenId, true);
        foreach (var c in cases)
            tokenizer.Add(c.First, c.Second, c.InputIds, c.TokenTypeIds, maxLength);
        return new CrossEncoder(fixture, folder, tokenizer, Backend(folder), new CrossEncoderOptions());
    }

    [Theory]
    [InlineData("tiny-modernbert-reranker")]
    [InlineData("tiny-electra-reranker")]
    public void OneLabelRerankersScoreWithSigmoidBatchedWithMixedLengths(string fixture)
    {
        foreach (var group in Cases(fixture).GroupBy(c => c.MaxLength))
        {
            var cases = group.ToList();
            Assert.True(cases.Select(c => c.InputIds.Length).Distinct().Count() >= 5, "the cases must mix lengths for padding to matter");
            using var model = ClassifierWithGoldenIds(fixture, group.Key, cases);
            Assert.Equal(ScoreActivation.Sigmoid, model.DefaultActivation);
            var pairs = cases.Select(c => (c.First, c.Second!)).ToArray();
            foreach (int batchSize in BatchSizes)
            {
                var scores = model.Predict(pairs, new PredictOptions { BatchSize = batchSize });
                var logits = model.Predict(pairs, new PredictOptions { BatchSize = batchSize, ActivationFn = ScoreActivation.Identity });
                for (int i = 0; i < cases.Count; i++)
                {
                    Close(cases[i].Score!.Value, scores[i], $"{fixture} batch {batchSize} case {i} score");
                    Close(cases[i].Logits![0], logits[i], $"{fixture} batch {batchSize} case {i} logit");
                }
            }
        }
    }

    [Fact]
    public void NliModelGivesEveryLabelRawThenSoftmaxAndRefusesOneScoreCalls()
    {
        const string fixture = "tiny-distilbert-nli";
        var labels = Root(fixture).GetProperty("labels").EnumerateArray().Select(x => x.GetString()!).ToArray();
        Assert.True(Cases(fixture).Select(c => c.Label).Distinct().Count() == 3, "all three labels should occur");
        foreach (var group in Cases(fixture).GroupBy(c => c.MaxLength))
        {
            var cases = group.ToList();
            using var model = ClassifierWithGoldenIds(fixture, group.Key, cases);
            Assert.Equal(labels, model.Labels);
            Assert.Equal(ScoreActivation.Identity, model.DefaultActivation);
            var pairs = cases.Select(c => (c.First, c.Second!)).ToArray();
            foreach (int batchSize in BatchSizes)
            {
                var raw = model.PredictLabels(pairs, new PredictOptions { BatchSize = batchSize });
                var probabilities = model.PredictLabels(pairs, new PredictOptions { BatchSize = batchSize, ApplySoftmax = true });
                for (int i = 0; i < cases.Count; i++)
                {
                    for (int j = 0; j < 3; j++)
                    {
                        Close(cases[i].Logits![j], raw[i][j], $"batch {batchSize} case {i} logit {labels[j]}");
                        Close(cases[i].Probabilities![j], probabilities[i][j], $"batch {batchSize} case {i} p({labels[j]})");
                    }
                    Assert.Equal(cases[i].Label, labels[Array.IndexOf(probabilities[i], probabilities[i].Max())]);
                }
            }
            Assert.Throws<MultiLabelModelException>(() => model.Predict(pairs));
            Assert.Throws<MultiLabelModelException>(() => model.Rank(cases[0].First, [cases[0].Second!]));
        }
    }

    [Theory]
    [MemberData(nameof(Embedders))]
    public void EmbeddingsBatchedWithMixedLengthsAndPrompts(string fixture)
    {
        var all = Cases(fixture);
        Assert.True(all.Select(c => c.InputIds.Length).Distinct().Count() >= 5, "the cases must mix lengths for padding to matter");
        foreach (var group in all.GroupBy(c => c.MaxLength))
        {
            var folder = ModelFolder.Open(SharedData.Fixture(fixture), group.Key);
            var tokenizer = new GoldenIdsTokenizer(Root(fixture).TryGetProperty("pad_token_id", out var pad) ? pad.GetInt32() : folder.Config.PadTokenId, false);
            foreach (var c in group)
                tokenizer.Add((c.Prompt ?? "") + c.First, null, c.InputIds, null, group.Key);
            using var model = new BiEncoder(fixture, folder, tokenizer, Backend(folder), new BiEncoderOptions());
            foreach (var byPrompt in group.GroupBy(c => c.PromptName))
            {
                var cases = byPrompt.ToList();
                foreach (int batchSize in BatchSizes)
                {
                    var vectors = model.Encode(cases.Select(c => c.First).ToArray(), new EncodeOptions { BatchSize = batchSize, PromptName = byPrompt.Key });
                    for (int i = 0; i < cases.Count; i++)
                    {
                        Assert.Equal(cases[i].Embedding!.Length, vectors[i].Length);
                        for (int d = 0; d < vectors[i].Length; d++)
                            Close(cases[i].Embedding![d], vectors[i][d], $"{fixture} batch {batchSize} '{cases[i].First}' [{d}]");
                    }
                }
            }
        }
    }

    [Fact]
    public void QwenEmbedderPoolsTheLastTokenAndPadsLeft()
    {
        var folder = ModelFolder.Open(SharedData.Fixture("tiny-qwen3-embedder"));
        Assert.Equal(PoolingMode.LastToken, folder.Pooling);
        Assert.True(folder.PadsLeft);
        Assert.True(folder.Normalize);
        Assert.Equal(ModelKind.BiEncoder, folder.Kind);
    }
}
