using RerankKit.Hub;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Inference;

/// <summary>The public constructors on the fixture folders, real tokenizers included: text in, golden scores out.</summary>
public class EndToEndGoldenTests
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData("tiny-bert-reranker")]
    [InlineData("tiny-xlmr-reranker")]
    [InlineData("minilm-l6-shaped-reranker")]
    public void CrossEncoderFromTextMatchesEveryGoldenLogitOneAtATimeAndBatched(string fixture)
    {
        foreach (var group in GoldenFile.Cases(fixture).GroupBy(c => c.MaxLength))
        {
            var cases = group.ToList();
            using var model = new CrossEncoder(SharedData.Fixture(fixture), new CrossEncoderOptions { MaxLength = group.Key, Threads = 1, ActivationFn = ScoreActivation.Identity });
            var batched = model.Predict(cases.Select(c => (c.Query!, c.Document!)).ToArray(), new PredictOptions { BatchSize = 4 });
            for (int i = 0; i < cases.Count; i++)
            {
                // Its golden logit belongs to "[UNK]" split as text, not to the library's ids (see GoldenTokenization).
                if ($"{cases[i].Query}{cases[i].Document}".Contains("[UNK]", StringComparison.Ordinal))
                    continue;
                float single = model.Predict([(cases[i].Query!, cases[i].Document!)])[0];
                Assert.True(Math.Abs(single - cases[i].Logit!.Value) < Tolerance, $"{fixture} case {i} alone: {single} vs {cases[i].Logit}");
                Assert.True(Math.Abs(batched[i] - cases[i].Logit!.Value) < Tolerance, $"{fixture} case {i} batched: {batched[i]} vs {cases[i].Logit}");
            }
        }
    }

    [Fact]
    public void BiEncoderFromTextMatchesEveryGoldenEmbedding()
    {
        var cases = GoldenFile.Cases("tiny-bert-embedder");
        using var model = new BiEncoder(SharedData.Fixture("tiny-bert-embedder"), new BiEncoderOptions { Threads = 1 });
        Assert.Equal(256, model.MaxLength);
        var batched = model.Encode(cases.Select(c => c.Text!).ToArray(), new EncodeOptions { BatchSize = 4 });
        for (int i = 0; i < cases.Count; i++)
        {
            var single = model.Encode([cases[i].Text!])[0];
            Assert.True(single.Zip(cases[i].Embedding!).All(p => Math.Abs(p.First - p.Second) < Tolerance), $"case {i} alone");
            Assert.True(batched[i].Zip(cases[i].Embedding!).All(p => Math.Abs(p.First - p.Second) < Tolerance), $"case {i} batched");
        }
    }

    [Fact]
    public void BerlinExampleLoadsEverythingButTheAbsentWeights()
    {
        // PROVENANCE.md: cross-encoder/ms-marco-MiniLM-L6-v2 scores these pairs 8.607138 and -4.320078 (raw logits,
        // since its config sets sbert_ce_default_activation_function Identity). The weights are not on this machine,
        // so the test checks everything up to scoring and that loading stops at the missing weights.
        string folder = SharedData.Model("ms-marco-MiniLM-L6-v2");
        var model = ModelFolder.Open(folder);
        Assert.Equal(ModelKind.CrossEncoder, model.Kind);
        Assert.Equal(ScoreActivation.Identity, model.DefaultActivation);
        Assert.Equal(512, model.MaxLength);
        var tokenizer = RerankKit.Tokenization.TokenizerFactory.FromFolder(folder);
        var pair = tokenizer.EncodePair("How many people live in Berlin?", "Berlin is well known for its museums.", model.MaxLength);
        Assert.Equal(["[CLS]", "how", "many", "people", "live", "in", "berlin", "?", "[SEP]", "berlin", "is", "well", "known", "for", "its", "museums", ".", "[SEP]"], pair.Tokens);
        var e = Assert.Throws<ModelLoadException>(() => new CrossEncoder(folder));
        Assert.StartsWith("ONNX weights not found", e.Message);
    }

    [Fact]
    public void HubIdLoadsFromAFakeCacheSnapshotOfAFixture()
    {
        using var cache = new ScratchFolder();
        string commit = new string('a', 40);
        cache.Write("models--org--tiny-reranker/refs/main", commit);
        string snapshot = Path.Combine(cache.Path, "models--org--tiny-reranker", "snapshots", commit);
        string fixture = SharedData.Fixture("tiny-bert-reranker");
        foreach (string file in new[] { "config.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "tokenizer.json", "onnx/model.onnx" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(snapshot, file))!);
            File.CreateSymbolicLink(Path.Combine(snapshot, file), Path.Combine(fixture, file));
        }
        var c = GoldenFile.Cases("tiny-bert-reranker")[0];
        using var model = new CrossEncoder("org/tiny-reranker", new CrossEncoderOptions { Hub = new HubOptions { CacheDir = cache.Path, Offline = true } });
        Assert.Equal(c.Logit!.Value, model.Predict([(c.Query!, c.Document!)])[0], Tolerance);
    }
}
