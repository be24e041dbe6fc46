using RerankKit.Models;
using RerankKit.Engine;
using RerankKit.Tokenization;

namespace RerankKit.Training;

/// <summary>Pooled sentence embeddings from the native engine: the one engine path, used in batches (L2-normalised)
/// by mining and, with its forward pass kept for the backward, by bi-encoder training.</summary>
public sealed class EngineEmbedder(TransformerModel model, ITextTokenizer tokenizer, int maxLength, bool clsPooling = false,
    PromptConfig? prompts = null)
{
    public int Dimension => model.HiddenSize;

    /// <summary>The model's prompts; <see cref="Encode"/> adds none itself, callers put the role's prompt first.</summary>
    public PromptConfig Prompts { get; } = prompts ?? PromptConfig.None;

    /// <summary>Loads a bi-encoder folder; a cross-encoder (its config names a <c>*ForSequenceClassification</c>
    /// architecture) is refused, since its pooled hidden states are not the embeddings it was trained for.</summary>
    public static EngineEmbedder FromFolder(string folder, int maxLength = 256)
    {
        var model = ModelFolder.Open(folder);
        if (model.Kind != ModelKind.BiEncoder)
            throw new ModelLoadException($"{folder} is a cross-encoder ({model.Config.Architecture}), not a bi-encoder; an embedding model needs a bare encoder architecture such as BertModel or XLMRobertaModel");
        return new(TransformerModel.Load(folder), TokenizerFactory.FromFolder(folder), maxLength, model.Pooling == PoolingMode.Cls, model.PromptConfig);
    }

    /// <summary>Row-major [texts, dimension].</summary>
    public float[] Encode(IReadOnlyList<string> texts, int batchSize = 32, IProgress<int>? progress = null)
    {
        int h = model.HiddenSize;
        var result = new float[texts.Count * h];
        for (int start = 0; start < texts.Count; start += batchSize)
        {
            var chunk = texts.Skip(start).Take(batchSize).ToList();
            var pooled = Pool(chunk, ForwardOptions.Inference).Pooled;
            Pooling.L2NormalizeForward(pooled, result.AsSpan(start * h, chunk.Count * h), chunk.Count, h);
            progress?.Report(start + chunk.Count);
        }
        return result;
    }

    /// <summary>One batch, unnormalised, with the pass that <see cref="PoolBackward"/> needs.</summary>
    internal (ForwardPass Pass, float[] Pooled) Pool(IReadOnlyList<string> texts, ForwardOptions options)
    {
        var input = EncoderInput.Pad(texts.Select(t => tokenizer.Encode(t, maxLength)).ToList(), tokenizer);
        var pass = model.Forward(input, options);
        int b = input.BatchSize, t = input.SequenceLength, h = model.HiddenSize;
        var pooled = new float[b * h];
        if (clsPooling)
            Pooling.ClsForward(pass.LastHiddenState, pooled, b, t, h);
        else
            Pooling.MeanForward(pass.LastHiddenState, input.AttentionMask, pooled, b, t, h);
        return (pass, pooled);
    }

    /// <summary>Back-propagates the gradient of the pooled vectors of <paramref name="pass"/> into <paramref name="gradients"/>.</summary>
    internal void PoolBackward(ForwardPass pass, ReadOnlySpan<float> dPooled, ParameterSet gradients)
    {
        var input = pass.Input;
        int b = input.BatchSize, t = input.SequenceLength, h = model.HiddenSize;
        var dHidden = new float[b * t * h];
        if (clsPooling)
            Pooling.ClsBackward(dPooled, dHidden, b, t, h);
        else
            Pooling.MeanBackward(dPooled, input.AttentionMask, dHidden, b, t, h);
        model.Backward(pass, null, dHidden, gradients);
    }
}
