using RerankKit.Tests.Infrastructure;
using static RerankKit.Tests.Architectures.ArchitectureGolden;

namespace RerankKit.Tests.Architectures;

/// <summary>Text in, score or embedding out, through the folder's own tokenizer files as a user loads the model:
/// every golden id exactly and every golden value within 1e-4, one pair or text at a time and batched with mixed
/// lengths.</summary>
public class ArchitectureEndToEndTests
{
    private static readonly int[] BatchSizes = [1, 64];

    [Theory]
    [InlineData("tiny-modernbert-reranker")]
    [InlineData("tiny-electra-reranker")]
    public void RerankerScores(string fixture)
    {
        foreach (var group in Cases(fixture).GroupBy(c => c.MaxLength))
        {
            var cases = group.ToList();
            using var model = new CrossEncoder(SharedData.Fixture(fixture), new CrossEncoderOptions { MaxLength = group.Key, Threads = 1 });
            foreach (var c in cases)
            {
                var encoded = model.Tokenize(c.First, c.Second!);
                Assert.Equal(c.InputIds, encoded.InputIds);
                if (c.TokenTypeIds is { } types)
                    Assert.Equal(types, encoded.TokenTypeIds);
            }
            var pairs = cases.Select(c => (c.First, c.Second!)).ToArray();
            foreach (int batchSize in BatchSizes)
            {
                var scores = model.Predict(pairs, new PredictOptions { BatchSize = batchSize });
                for (int i = 0; i < cases.Count; i++)
                    Close(cases[i].Score!.Value, scores[i], $"{fixture} ({group.Key}) batch {batchSize} case {i}");
            }
        }
    }

    [Fact]
    public void NliLabelScores()
    {
        const string fixture = "tiny-distilbert-nli";
        var labels = Root(fixture).GetProperty("labels").EnumerateArray().Select(x => x.GetString()!).ToArray();
        foreach (var group in Cases(fixture).GroupBy(c => c.MaxLength))
        {
            var cases = group.ToList();
            using var model = new CrossEncoder(SharedData.Fixture(fixture), new CrossEncoderOptions { MaxLength = group.Key, Threads = 1 });
            foreach (var c in cases)
                Assert.Equal(c.InputIds, model.Tokenize(c.First, c.Second!).InputIds);
            var pairs = cases.Select(c => (c.First, c.Second!)).ToArray();
            foreach (int batchSize in BatchSizes)
            {
                var raw = model.PredictLabels(pairs, new PredictOptions { BatchSize = batchSize });
                var probabilities = model.PredictLabels(pairs, new PredictOptions { BatchSize = batchSize, ApplySoftmax = true });
                for (int i = 0; i < cases.Count; i++)
                {
                    for (int j = 0; j < labels.Length; j++)
                    {
                        Close(cases[i].Logits![j], raw[i][j], $"({group.Key}) batch {batchSize} case {i} logit {labels[j]}");
                        Close(cases[i].Probabilities![j], probabilities[i][j], $"({group.Key}) batch {batchSize} case {i} p({labels[j]})");
                    }
                    Assert.Equal(cases[i].Label, labels[Array.IndexOf(probabilities[i], probabilities[i].Max())]);
                }
            }
        }
    }

    [Theory]
    [InlineData("tiny-qwen3-embedder")]
    [InlineData("tiny-mpnet-embedder")]
    public void Embeddings(string fixture)
    {
        foreach (var group in Cases(fixture).GroupBy(c => c.MaxLength))
        {
            using var model = new BiEncoder(SharedData.Fixture(fixture), new BiEncoderOptions { MaxLength = group.Key, Threads = 1 });
            foreach (var byPrompt in group.GroupBy(c => c.PromptName))
            {
                var cases = byPrompt.ToList();
                foreach (var c in cases)
                    Assert.Equal(c.InputIds, model.Tokenize((c.Prompt ?? "") + c.First).InputIds);
                var texts = cases.Select(c => c.First).ToArray();
                foreach (int batchSize in BatchSizes)
                {
                    var options = new EncodeOptions { BatchSize = batchSize };
                    // sentence-transformers' encode_query / encode_document pick the prompts a user would get.
                    var vectors = byPrompt.Key switch
                    {
                        "query" => model.EncodeQuery(texts, options),
                        "document" => model.EncodeDocument(texts, options),
                        _ => model.Encode(texts, options),
                    };
                    for (int i = 0; i < cases.Count; i++)
                        for (int d = 0; d < vectors[i].Length; d++)
                            Close(cases[i].Embedding![d], vectors[i][d], $"{fixture} ({group.Key}) batch {batchSize} '{cases[i].First}' [{d}]");
                }
            }
        }
    }

    [Fact]
    public void Qwen3RerankerScores()
    {
        const string fixture = "tiny-qwen3-reranker";
        string defaultInstruction = Root(fixture).GetProperty("default_instruction").GetString()!;
        foreach (var group in Cases(fixture).GroupBy(c => (c.MaxLength, c.Instruction)))
        {
            var cases = group.ToList();
            string? instruction = group.Key.Instruction == defaultInstruction ? null : group.Key.Instruction;
            using var model = new CrossEncoder(SharedData.Fixture(fixture),
                new CrossEncoderOptions { MaxLength = group.Key.MaxLength, Threads = 1, Instruction = instruction });
            foreach (var c in cases)
                Assert.Equal(c.InputIds, model.Tokenize(c.First, c.Second!).InputIds);
            var pairs = cases.Select(c => (c.First, c.Second!)).ToArray();
            foreach (int batchSize in BatchSizes)
            {
                var scores = model.Predict(pairs, new PredictOptions { BatchSize = batchSize });
                for (int i = 0; i < cases.Count; i++)
                    Close(cases[i].Score!.Value, scores[i], $"{group.Key} batch {batchSize} case {i}");
            }
        }
    }
}
