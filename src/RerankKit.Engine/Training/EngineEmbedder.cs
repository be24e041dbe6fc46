using RerankKit.Models;
using RerankKit.Engine;
using RerankKit.Tokenization;

namespace RerankKit.Training;

/// <summary>Pooled sentence embeddings from the native engine: the one engine path, used in batches (L2-normalised)
/// by mining and, with its forward pass kept for the backward, by bi-encoder training.</summary>
public sealed class EngineEmbedder(TransformerModel model, ITextTokenizer tokenizer, int maxLength, bool clsPooling = false,
    PromptConfig? prompts = null, bool includePrompt = true)
{
    public int Dimension => model.HiddenSize;

    /// <summary>The model's prompts; callers choose the role's prompt and pass it to <see cref="Encode"/>.</summary>
    public PromptConfig Prompts { get; } = prompts ?? PromptConfig.None;

    /// <summary>Loads a bi-encoder folder; a cross-encoder (its config names a <c>*ForSequenceClassification</c>
    /// architecture) is refused, since its pooled hidden states are not the embeddings it was trained for.</summary>
    public static EngineEmbedder FromFolder(string folder, int maxLength = 256)
    {
        var model = ModelFolder.Open(folder);
        if (model.Kind != ModelKind.BiEncoder)
            throw new ModelLoadException($"{folder} is a cross-encoder ({model.Config.Architecture}), not a bi-encoder; an embedding model needs a bare encoder architecture such as BertModel or XLMRobertaModel");
        return new(TransformerModel.Load(folder), TokenizerFactory.FromFolder(folder), maxLength, model.Pooling == PoolingMode.Cls,
            model.PromptConfig, model.IncludePrompt);
    }

    /// <summary>Row-major [texts, dimension], each text prefixed with <paramref name="prompt"/>.</summary>
    public float[] Encode(IReadOnlyList<string> texts, string prompt = "", int batchSize = 32, IProgress<int>? progress = null)
    {
        int h = model.HiddenSize;
        var result = new float[texts.Count * h];
        for (int start = 0; start < texts.Count; start += batchSize)
        {
            var chunk = texts.Skip(start).Take(batchSize).ToList();
            var pooled = Pool(chunk, ForwardOptions.Inference, prompt).Pooled;
            Pooling.L2NormalizeForward(pooled, result.AsSpan(start * h, chunk.Count * h), chunk.Count, h);
            progress?.Report(start + chunk.Count);
        }
        return result;
    }

    /// <summary>One batch, unnormalised, with what <see cref="PoolBackward"/> needs.</summary>
    internal PooledBatch Pool(IReadOnlyList<string> texts, ForwardOptions options, string prompt = "")
    {
        var encoded = texts.Select(t => tokenizer.Encode(prompt + t, maxLength)).ToList();
        var input = EncoderInput.Pad(encoded, tokenizer);
        var pass = model.Forward(input, options);
        int b = input.BatchSize, t = input.SequenceLength, h = model.HiddenSize;
        var mask = PoolingMask(input, prompt);
        var pooled = new float[b * h];
        if (clsPooling)
            Pooling.ClsForward(pass.LastHiddenState, pooled, b, t, h);
        else
            Pooling.MeanForward(pass.LastHiddenState, mask, pooled, b, t, h);
        return new(pass, pooled, mask);
    }

    /// <summary>Back-propagates the gradient of the pooled vectors of <paramref name="batch"/> into <paramref name="gradients"/>.</summary>
    internal void PoolBackward(PooledBatch batch, ReadOnlySpan<float> dPooled, ParameterSet gradients)
    {
        var input = batch.Pass.Input;
        int b = input.BatchSize, t = input.SequenceLength, h = model.HiddenSize;
        var dHidden = new float[b * t * h];
        if (clsPooling)
            Pooling.ClsBackward(dPooled, dHidden, b, t, h);
        else
            Pooling.MeanBackward(dPooled, batch.PoolingMask, dHidden, b, t, h);
        model.Backward(batch.Pass, null, dHidden, gradients, inputGradients: false);
    }

    /// <summary>The attention mask, less the leading prompt tokens when the Pooling module says
    /// <c>include_prompt: false</c>: sentence-transformers' prompt_length is the prompt tokenized alone without its
    /// closing [SEP], so [CLS] and the prompt's own tokens leave the mean (forward and backward alike).</summary>
    private int[] PoolingMask(EncoderInput input, string prompt)
    {
        var mask = input.AttentionMask.ToArray();
        if (includePrompt || prompt.Length == 0)
            return mask;
        int skip = Math.Min(tokenizer.Encode(prompt, maxLength).Length - 1, input.SequenceLength);
        for (int row = 0; row < input.BatchSize; row++)
            Array.Clear(mask, row * input.SequenceLength, skip);
        return mask;
    }
}
