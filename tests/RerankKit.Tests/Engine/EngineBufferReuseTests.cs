using RerankKit.Engine;

namespace RerankKit.Tests.Engine;

/// <summary>The speed paths compute exactly what the plain ones do: attention without kept probabilities, work split
/// over threads (each output element is summed in the same order, so results are bitwise equal), and activation and
/// gradient buffers reused across passes of different shapes.</summary>
public sealed class EngineBufferReuseTests
{
    [Fact]
    public void Attention_without_kept_probabilities_and_on_two_threads_equals_one_thread_with_probabilities()
    {
        // Large enough (b·heads·t²·d = 2^19) for the heads to be split across workers.
        const int b = 2, t = 64, h = 64, heads = 4;
        var q = GradientCheck.Random(b * t * h, 1);
        var k = GradientCheck.Random(b * t * h, 2);
        var v = GradientCheck.Random(b * t * h, 3);
        var mask = Enumerable.Range(0, b * t).Select(i => i % t < t - 9 * (i / t) ? 1 : 0).ToArray();
        var probs = new float[b * heads * t * t];
        var expected = new float[b * t * h];
        Attention.Forward(q, k, v, mask, probs, expected, b, t, h, heads, threads: 1);
        var actual = new float[b * t * h];
        Attention.Forward(q, k, v, mask, null, actual, b, t, h, heads, threads: 2);
        Assert.Equal(expected, actual);

        var dCtx = GradientCheck.Random(b * t * h, 4);
        var (dq1, dk1, dv1) = (new float[q.Length], new float[q.Length], new float[q.Length]);
        Attention.Backward(dCtx, q, k, v, probs, dq1, dk1, dv1, b, t, h, heads, threads: 1);
        var (dq2, dk2, dv2) = (new float[q.Length], new float[q.Length], new float[q.Length]);
        Attention.Backward(dCtx, q, k, v, probs, dq2, dk2, dv2, b, t, h, heads, threads: 2);
        Assert.Equal(dq1, dq2);
        Assert.Equal(dk1, dk2);
        Assert.Equal(dv1, dv2);
    }

    [Fact]
    public void Model_threads_setting_does_not_change_logits_or_gradients()
    {
        var config = ModelGradientTests.TinyConfig("bert", "BertForSequenceClassification") with
        {
            HiddenSize = 64, NumAttentionHeads = 4, IntermediateSize = 256, MaxPositionEmbeddings = 160,
        };
        var one = TransformerModel.CreateRandom(config, seed: 5);
        var two = TransformerModel.CreateRandom(config, seed: 5);
        one.Threads = 1;
        two.Threads = 2;
        var input = RandomInput(config.VocabSize, batch: 2, seq: 150, seed: 6);
        var (logits1, grads1) = Step(one, input);
        var (logits2, grads2) = Step(two, input);
        Assert.Equal(logits1, logits2);
        foreach (var p in grads1)
            Assert.Equal(p.Data, grads2[p.Name].Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => one.Threads = 0);
    }

    [Fact]
    public void Pooled_buffers_from_a_larger_pass_give_the_same_result_as_a_fresh_model()
    {
        var config = ModelGradientTests.TinyConfig("bert", "BertForSequenceClassification");
        var small = RandomInput(config.VocabSize, batch: 2, seq: 5, seed: 7);
        var fresh = TransformerModel.CreateRandom(config, seed: 3, initializerRange: 0.5f);
        var (expectedLogits, expectedGrads) = Step(fresh, small);

        var reused = TransformerModel.CreateRandom(config, seed: 3, initializerRange: 0.5f);
        Step(reused, RandomInput(config.VocabSize, batch: 3, seq: 11, seed: 8));
        reused.Forward(RandomInput(config.VocabSize, batch: 4, seq: 12, seed: 9));
        var (logits, grads) = Step(reused, small);
        Assert.Equal(expectedLogits, logits);
        foreach (var p in expectedGrads)
            Assert.Equal(p.Data, grads[p.Name].Data);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Pooled_hidden_states_leave_each_caller_its_own_exact_last_hidden_state(int layers)
    {
        // Inference alternates a pooled and a fresh buffer between layers (which one the last layer writes depends on
        // the layer count); training keeps layer outputs in pooled buffers until Backward.
        var config = ModelGradientTests.TinyConfig("bert", "BertModel") with { NumHiddenLayers = layers };
        var small = RandomInput(config.VocabSize, batch: 2, seq: 5, seed: 7);
        var expected = TransformerModel.CreateRandom(config, seed: 3, initializerRange: 0.5f).Forward(small).LastHiddenState;

        var reused = TransformerModel.CreateRandom(config, seed: 3, initializerRange: 0.5f);
        var large = RandomInput(config.VocabSize, batch: 3, seq: 11, seed: 8);
        var pass = reused.Forward(large, ForwardOptions.Training);
        reused.Backward(pass, null, GradientCheck.Random(pass.LastHiddenState.Length, 10), reused.Parameters.ZerosLike());
        reused.Forward(large);
        var first = reused.Forward(small).LastHiddenState;
        reused.Forward(large);
        var training = reused.Forward(small, ForwardOptions.Training).LastHiddenState;
        // Later passes over other input must not have written into the first caller's array.
        Assert.Equal(expected, first);
        Assert.Equal(expected, training);
    }

    [Fact]
    public void A_pass_is_backpropagated_once()
    {
        var model = TransformerModel.CreateRandom(ModelGradientTests.TinyConfig("bert", "BertForSequenceClassification"), seed: 3);
        var pass = model.Forward(RandomInput(11, batch: 2, seq: 5, seed: 7), ForwardOptions.Training);
        model.Backward(pass, new float[2 * model.NumLabels]);
        var error = Assert.Throws<InvalidOperationException>(() => model.Backward(pass, new float[2 * model.NumLabels]));
        Assert.Contains("already backpropagated", error.Message);
    }

    private static (float[] Logits, ParameterSet Gradients) Step(TransformerModel model, EncoderInput input)
    {
        var grads = model.Parameters.ZerosLike();
        var pass = model.Forward(input, ForwardOptions.Training);
        var logits = (float[])pass.Logits!.Clone();
        model.Backward(pass, GradientCheck.Random(logits.Length, 10), gradients: grads);
        return (logits, grads);
    }

    private static EncoderInput RandomInput(int vocab, int batch, int seq, int seed)
    {
        var random = new Random(seed);
        var ids = Enumerable.Range(0, batch).Select(_ => (IReadOnlyList<int>)Enumerable.Range(0, seq - random.Next(seq / 2)).Select(_ => random.Next(1, vocab)).ToArray()).ToList();
        return EncoderInput.Pad(ids, 0, null);
    }
}
