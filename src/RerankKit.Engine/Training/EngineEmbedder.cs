using RerankKit.Engine;
using RerankKit.Tokenization;

namespace RerankKit.Training;

/// <summary>Pooled, L2-normalised sentence embeddings from the native engine, in batches.</summary>
public sealed class EngineEmbedder(TransformerModel model, ITextTokenizer tokenizer, int maxLength, bool clsPooling = false)
{
    public int Dimension => model.HiddenSize;

    public static EngineEmbedder FromFolder(string folder, int maxLength = 256) =>
        new(TransformerModel.Load(folder), TokenizerFactory.FromFolder(folder), maxLength, Checkpoints.SentenceTransformersFolder.UsesClsPooling(folder));

    /// <summary>Row-major [texts, dimension].</summary>
    public float[] Encode(IReadOnlyList<string> texts, int batchSize = 32, IProgress<int>? progress = null)
    {
        int h = model.HiddenSize;
        var result = new float[texts.Count * h];
        for (int start = 0; start < texts.Count; start += batchSize)
        {
            var chunk = texts.Skip(start).Take(batchSize).ToList();
            var encoded = chunk.Select(t => tokenizer.Encode(t, maxLength)).ToList();
            var input = EncoderInput.Pad(encoded.Select(e => (IReadOnlyList<int>)e.InputIds).ToList(), tokenizer.PadTokenId,
                tokenizer.UsesTokenTypeIds ? encoded.Select(e => (IReadOnlyList<int>)e.TokenTypeIds).ToList() : null);
            var pass = model.Forward(input);
            var pooled = new float[chunk.Count * h];
            if (clsPooling)
                Pooling.ClsForward(pass.LastHiddenState, pooled, chunk.Count, input.SequenceLength, h);
            else
                Pooling.MeanForward(pass.LastHiddenState, input.AttentionMask, pooled, chunk.Count, input.SequenceLength, h);
            Pooling.L2NormalizeForward(pooled, result.AsSpan(start * h, chunk.Count * h), chunk.Count, h);
            progress?.Report(start + chunk.Count);
        }
        return result;
    }
}
