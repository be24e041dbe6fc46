using System.Numerics.Tensors;
using RerankKit.Models;

namespace RerankKit.Inference;

/// <summary>sentence-transformers' Pooling and Normalize modules over a batch of hidden states.</summary>
internal static class EmbeddingPooling
{
    /// <summary>Pools row <paramref name="row"/> of <paramref name="hidden"/> [batch, seq, dim], counting only
    /// tokens whose attention mask is 1 and leaving out the first <paramref name="skipLeading"/> tokens from mean and
    /// max, as sentence-transformers zeroes the mask of a prompt when <c>include_prompt</c> is false (CLS pooling
    /// keeps the first token regardless, as there).</summary>
    public static float[] Pool(ReadOnlySpan<float> hidden, TokenBatch batch, int row, int dim, PoolingMode mode, int skipLeading = 0)
    {
        int seq = batch.SequenceLength;
        var result = new float[dim];
        var rowStates = hidden.Slice(row * seq * dim, seq * dim);
        var mask = batch.AttentionMask.AsSpan(row * seq, seq);
        // With left padding a row's own tokens start after its padding.
        int first = skipLeading == 0 ? 0 : Math.Min(Math.Max(mask.IndexOfAnyExcept(0L), 0) + skipLeading, seq);
        switch (mode)
        {
            case PoolingMode.Cls:
                rowStates[..dim].CopyTo(result);
                break;
            case PoolingMode.Mean:
                int count = 0;
                for (int t = first; t < seq; t++)
                {
                    if (mask[t] == 0) continue;
                    TensorPrimitives.Add(result, rowStates.Slice(t * dim, dim), result);
                    count++;
                }
                TensorPrimitives.Divide(result, Math.Max(count, 1), result);
                break;
            case PoolingMode.LastToken:
                rowStates.Slice(batch.LastTokenIndex(row) * dim, dim).CopyTo(result);
                break;
            case PoolingMode.Max:
                Array.Fill(result, float.NegativeInfinity);
                for (int t = first; t < seq; t++)
                {
                    if (mask[t] != 0)
                        TensorPrimitives.Max(result, rowStates.Slice(t * dim, dim), result);
                }
                break;
        }
        return result;
    }

    /// <summary>L2-normalizes in place, with torch's <c>F.normalize</c> floor of 1e-12 on the norm.</summary>
    public static void Normalize(float[] vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        TensorPrimitives.Divide(vector, MathF.Max(norm, 1e-12f), vector);
    }
}
