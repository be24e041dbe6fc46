using RerankKit.Engine;
using RerankKit.Models;

namespace RerankKit.Tests.Engine;

/// <summary>The whole model's backward (every parameter and the fed word vectors) against central finite
/// differences, on tiny randomly initialised BERT and XLM-R models with a padded batch.</summary>
public sealed class ModelGradientTests
{
    internal static ModelConfig TinyConfig(string modelType, string architecture, string hiddenAct = "gelu", int numLabels = 2) => new()
    {
        ModelType = modelType,
        Architectures = [architecture],
        HiddenSize = 8,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        IntermediateSize = 12,
        VocabSize = 11,
        MaxPositionEmbeddings = 12,
        TypeVocabSize = modelType == "bert" ? 2 : 1,
        LayerNormEps = 1e-5,
        HiddenAct = hiddenAct,
        PadTokenId = modelType == "bert" ? 0 : 1,
        NumLabels = numLabels,
    };

    private static EncoderInput PaddedBatch(TransformerModel model)
    {
        int pad = model.Config.PadTokenId;
        IReadOnlyList<IReadOnlyList<int>> ids = [new[] { 2, 5, 7, 3, 9, 4 }, new[] { 2, 6, 3, 8 }];
        IReadOnlyList<IReadOnlyList<int>>? types = model.Config.TypeVocabSize > 1 ? [new[] { 0, 0, 0, 1, 1, 1 }, new[] { 0, 0, 1, 1 }] : null;
        var input = EncoderInput.Pad(ids, pad, types);
        Assert.Equal(pad, input.InputIds[^1]);
        return input;
    }

    [Theory]
    [InlineData("bert", "BertForSequenceClassification", "gelu")]
    [InlineData("bert", "BertForSequenceClassification", "gelu_new")]
    [InlineData("xlm-roberta", "XLMRobertaForSequenceClassification", "gelu")]
    public void Classifier_parameter_and_input_gradients_match_finite_differences(string type, string architecture, string act)
    {
        var model = TransformerModel.CreateRandom(TinyConfig(type, architecture, act), seed: 3, initializerRange: 0.5f);
        Assert.NotEqual(EncoderHead.None, model.Head);
        var input = PaddedBatch(model);
        var r = GradientCheck.Random(input.BatchSize * model.NumLabels, 30);
        double Loss() => GradientCheck.Weighted(model.Forward(input).Logits!, r);

        var grads = model.Parameters.ZerosLike();
        var pass = model.Forward(input, ForwardOptions.Training);
        model.Backward(pass, r, gradients: grads);
        foreach (var p in model.Parameters)
        {
            if (p.Name.Contains("word_embeddings") || p.Name.Contains("position_embeddings"))
                continue;
            GradientCheck.Check(Loss, p.Data, grads[p.Name].Data, p.Name, samples: 6);
        }
        var word = model.Parameters[model.Prefix + "embeddings.word_embeddings.weight"];
        var dWord = grads[word.Name].Data;
        int h = model.HiddenSize;
        foreach (int id in new[] { 2, 5, 3 })
            GradientCheck.CheckRange(Loss, word.Data, dWord, id * h, h, $"word row {id}");
        var positions = model.Parameters[model.Prefix + "embeddings.position_embeddings.weight"];
        int firstPosition = model.Config.IsRoberta ? model.Config.PadTokenId + 1 : 0;
        GradientCheck.CheckRange(Loss, positions.Data, grads[positions.Name].Data, firstPosition * h, 3 * h, "position rows");
        Assert.All(dWord.AsSpan(10 * h, h).ToArray(), v => Assert.Equal(0f, v)); // id 10 is not in the batch

        var fed = new EncoderInput(input.InputIds, input.BatchSize, input.SequenceLength, input.AttentionMask, input.TokenTypeIds)
        {
            InputEmbeddings = model.WordEmbeddings(input.InputIds),
        };
        double FedLoss() => GradientCheck.Weighted(model.Forward(fed).Logits!, r);
        Assert.Equal(Loss(), FedLoss(), 6);
        var fedPass = model.Forward(fed, ForwardOptions.Training);
        var dInputs = model.Backward(fedPass, r);
        GradientCheck.Check(FedLoss, fed.InputEmbeddings, dInputs, "d input embeddings", samples: 30);
        var paddedRow = dInputs.AsSpan((input.SequenceLength + 5) * h, h).ToArray();
        Assert.All(paddedRow, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Bi_encoder_gradients_through_mean_pooling_match_finite_differences()
    {
        var model = TransformerModel.CreateRandom(TinyConfig("bert", "BertModel"), seed: 4, initializerRange: 0.5f);
        Assert.Equal(EncoderHead.None, model.Head);
        Assert.Equal("", model.Prefix);
        var input = PaddedBatch(model);
        int b = input.BatchSize, t = input.SequenceLength, h = model.HiddenSize;
        var r = GradientCheck.Random(b * h, 31);
        var pooled = new float[b * h];
        double Loss()
        {
            Pooling.MeanForward(model.Forward(input).LastHiddenState, input.AttentionMask, pooled, b, t, h);
            return GradientCheck.Weighted(pooled, r);
        }
        var grads = model.Parameters.ZerosLike();
        var pass = model.Forward(input, ForwardOptions.Training);
        var dHidden = new float[b * t * h];
        Pooling.MeanBackward(r, input.AttentionMask, dHidden, b, t, h);
        model.Backward(pass, null, dHidden, grads);
        foreach (var p in model.Parameters.Where(p => p.Name.Contains("layer.1.") || p.Name.Contains("LayerNorm") || p.Name.Contains("token_type")))
            GradientCheck.Check(Loss, p.Data, grads[p.Name].Data, p.Name, samples: 6);
        Assert.All(grads["pooler.dense.weight"].Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Xlmr_positions_start_after_the_pad_id_and_padding_does_not_change_scores()
    {
        var model = TransformerModel.CreateRandom(TinyConfig("xlm-roberta", "XLMRobertaForSequenceClassification"), seed: 5, initializerRange: 0.5f);
        var batch = PaddedBatch(model);
        var batched = model.Forward(batch).Logits!;
        var single = model.Forward(EncoderInput.Single([2, 6, 3, 8])).Logits!;
        Assert.Equal(single[0], batched[2], 5);
        Assert.Equal(single[1], batched[3], 5);
        // Position ids 2.. for real tokens: zeroing row 1 (the pad position) changes nothing unpadded.
        var positions = model.Parameters["roberta.embeddings.position_embeddings.weight"].Data;
        Array.Clear(positions, 0, 2 * model.HiddenSize);
        Assert.Equal(single[0], model.Forward(EncoderInput.Single([2, 6, 3, 8])).Logits![0], 6);
        Array.Clear(positions, 2 * model.HiddenSize, model.HiddenSize);
        Assert.NotEqual(single[0], model.Forward(EncoderInput.Single([2, 6, 3, 8])).Logits![0], 6);
    }
}
