using RerankKit.Engine;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Engine;

public sealed class GoldenForwardTests
{
    private static readonly Dictionary<string, TransformerModel> Models = new();

    internal static TransformerModel Model(string fixture)
    {
        lock (Models)
        {
            if (!Models.TryGetValue(fixture, out var m))
                Models[fixture] = m = TransformerModel.Load(SharedData.Fixture(fixture));
            return m;
        }
    }

    [Theory]
    [InlineData("tiny-bert-reranker")]
    [InlineData("tiny-xlmr-reranker")]
    [InlineData("minilm-l6-shaped-reranker")]
    public void Logits_match_golden_one_pair_at_a_time(string fixture)
    {
        var model = Model(fixture);
        foreach (var c in Golden.Of(fixture).Cases)
        {
            var types = Golden.Ints(c, "token_type_ids");
            var pass = model.Forward(EncoderInput.Single(Golden.Ints(c, "input_ids"), types.Length > 0 ? types : null));
            Golden.AssertClose([c.GetProperty("logit").GetDouble()], pass.Logits, 1e-4, $"{fixture} logit for '{c.GetProperty("query").GetString()}'");
        }
    }

    [Theory]
    [InlineData("tiny-bert-reranker")]
    [InlineData("tiny-xlmr-reranker")]
    [InlineData("minilm-l6-shaped-reranker")]
    public void Logits_match_golden_in_a_padded_batch(string fixture)
    {
        var model = Model(fixture);
        var cases = Golden.Of(fixture).Cases.Where(c => Golden.Ints(c, "input_ids").Length < 100).ToList();
        bool hasTypes = cases[0].TryGetProperty("token_type_ids", out _);
        var input = EncoderInput.Pad(
            cases.Select(c => (IReadOnlyList<int>)Golden.Ints(c, "input_ids")).ToList(), model.Config.PadTokenId,
            hasTypes ? cases.Select(c => (IReadOnlyList<int>)Golden.Ints(c, "token_type_ids")).ToList() : null);
        Assert.Contains(0, input.AttentionMask);
        var logits = model.Forward(input).Logits!;
        Golden.AssertClose(cases.Select(c => c.GetProperty("logit").GetDouble()).ToArray(), logits, 1e-4, $"{fixture} batched logits");
    }

    [Fact]
    public void Bi_encoder_mean_pooled_normalised_embeddings_match_golden_batched()
    {
        var model = Model("tiny-bert-embedder");
        Assert.Equal(EncoderHead.None, model.Head);
        Assert.Equal("", model.Prefix);
        var cases = Golden.Of("tiny-bert-embedder").Cases.ToList();
        var input = EncoderInput.Pad(cases.Select(c => (IReadOnlyList<int>)Golden.Ints(c, "input_ids")).ToList(), model.Config.PadTokenId);
        var pass = model.Forward(input);
        int b = input.BatchSize, h = model.HiddenSize;
        var pooled = new float[b * h];
        Pooling.MeanForward(pass.LastHiddenState, input.AttentionMask, pooled, b, input.SequenceLength, h);
        Pooling.L2NormalizeForward(pooled, pooled, b, h);
        for (int i = 0; i < b; i++)
            Golden.AssertClose(Golden.Flat(cases[i].GetProperty("embedding")), pooled.AsSpan(i * h, h), 1e-4, $"embedding of case {i}");
    }

    [Theory]
    [InlineData("tiny-bert-reranker")]
    [InlineData("minilm-l6-shaped-reranker")]
    public void Hidden_states_attentions_and_embedding_gradient_match_golden(string fixture)
    {
        var model = Model(fixture);
        foreach (var e in Golden.Of(fixture).Explain)
        {
            var ids = Golden.Ints(e, "input_ids");
            var pass = model.Forward(EncoderInput.Single(ids, Golden.Ints(e, "token_type_ids")), ForwardOptions.Everything);
            Golden.AssertClose([e.GetProperty("logit").GetDouble()], pass.Logits, 1e-4, "logit");

            var hidden = e.GetProperty("hidden_states").EnumerateArray().ToList();
            Assert.Equal(hidden.Count, pass.HiddenStates!.Count);
            for (int l = 0; l < hidden.Count; l++)
                Golden.AssertClose(Golden.Flat(hidden[l]), pass.HiddenStates[l], 1e-4, $"{fixture} hidden state {l}");

            var attentions = e.GetProperty("attentions").EnumerateArray().ToList();
            Assert.Equal(attentions.Count, pass.Attentions!.Count);
            for (int l = 0; l < attentions.Count; l++)
                Golden.AssertClose(Golden.Flat(attentions[l]), pass.Attentions[l], 1e-5, $"{fixture} attentions {l}");

            var gradient = model.Backward(pass, [1f]);
            var expected = Golden.Flat(e.GetProperty("embedding_gradient"));
            double largest = expected.Max(Math.Abs);
            Golden.AssertClose(expected, gradient, 1e-3 * largest, $"{fixture} embedding gradient");

            var words = model.WordEmbeddings(ids);
            int h = model.HiddenSize;
            var saliency = Golden.Flat(e.GetProperty("saliency"));
            var gxi = Golden.Flat(e.GetProperty("gradient_times_input"));
            for (int t = 0; t < ids.Length; t++)
            {
                double s = 0, g = 0;
                for (int j = 0; j < h; j++)
                {
                    s += Math.Abs(gradient[t * h + j]);
                    g += gradient[t * h + j] * words[t * h + j];
                }
                Assert.True(Math.Abs(s - saliency[t]) <= 1e-3 * saliency.Max(), $"saliency {t}: {s} vs {saliency[t]}");
                Assert.True(Math.Abs(g - gxi[t]) <= 1e-3 * gxi.Max(Math.Abs), $"gradient x input {t}: {g} vs {gxi[t]}");
            }
        }
    }

    [Fact]
    public void F16_weights_of_the_minilm_shaped_reranker_load_as_float32()
    {
        using var file = SafetensorsFile.Open(Path.Combine(SharedData.Fixture("minilm-l6-shaped-reranker"), "model.safetensors"));
        Assert.All(file.Entries, e => Assert.Equal(SafetensorsDType.F16, e.DType));
        var model = Model("minilm-l6-shaped-reranker");
        Assert.Equal(EncoderHead.BertClassifier, model.Head);
        Assert.Equal(6, model.NumLayers);
        Assert.Equal("bert.", model.Prefix);
        var ln = model.Parameters["bert.embeddings.LayerNorm.weight"];
        var raw = file.Entry("bert.embeddings.LayerNorm.weight");
        Assert.Equal(384, ln.Length);
        Assert.Equal(raw.Shape, ln.Shape);
        Assert.Contains(ln.Data, v => v != 0 && v != 1);
    }
}
