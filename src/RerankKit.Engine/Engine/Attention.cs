using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RerankKit.Engine;

/// <summary>Multi-head scaled dot-product self-attention with a key padding mask, as BERT computes it:
/// <c>P = softmax(Q Kᵀ / √d + mask)</c>, <c>ctx = P V</c>. Q, K, V and ctx are [B·T, H] with head h in columns
/// h·d .. h·d+d-1; probabilities are [B, heads, T, T]. Masked keys get probability exactly 0.</summary>
internal static class Attention
{
    /// <summary>Fills ctx; keeps the probabilities in <paramref name="probs"/> when given ([B, heads, T, T]), else
    /// each worker reuses one [T, T] scratch, which is all inference needs.</summary>
    public static void Forward(float[] q, float[] k, float[] v, ReadOnlySpan<int> mask, float[]? probs, float[] ctx,
        int batch, int seq, int hidden, int heads, int threads = 1)
    {
        int hs = hidden / heads;
        float scale = 1f / MathF.Sqrt(hs);
        var keyBias = KeyBias(mask, batch, seq);
        ForEachHead(batch, heads, seq, hs, threads, probs is null ? seq * seq : 0, (b, h, scratch) =>
        {
            int rowOff = b * seq * hidden + h * hs;
            var p = probs ?? scratch;
            int pOff = probs is null ? 0 : (b * heads + h) * seq * seq;
            MatMul.ABt(q, rowOff, hidden, k, rowOff, hidden, p, pOff, seq, seq, seq, hs, alpha: scale);
            var bias = keyBias?[b];
            for (int t = 0; t < seq; t++)
                MaskedSoftmax(p.AsSpan(pOff + t * seq, seq), bias);
            MatMul.AB(p, pOff, seq, 1, v, rowOff, hidden, ctx, rowOff, hidden, seq, hs, seq);
        });
    }

    /// <summary>Accumulates dQ, dK and dV from dCtx and the forward's Q, K, V and probabilities.</summary>
    public static void Backward(float[] dCtx, float[] q, float[] k, float[] v, float[] probs, float[] dq, float[] dk, float[] dv,
        int batch, int seq, int hidden, int heads, int threads = 1)
    {
        int hs = hidden / heads;
        float scale = 1f / MathF.Sqrt(hs);
        const int sOff = 0;
        ForEachHead(batch, heads, seq, hs, threads, seq * seq, (b, h, scratch) =>
        {
            int rowOff = b * seq * hidden + h * hs;
            int pOff = (b * heads + h) * seq * seq;
            MatMul.ABt(dCtx, rowOff, hidden, v, rowOff, hidden, scratch, sOff, seq, seq, seq, hs);
            MatMul.AB(probs, pOff, 1, seq, dCtx, rowOff, hidden, dv, rowOff, hidden, seq, hs, seq, accumulate: true);
            for (int t = 0; t < seq; t++)
            {
                var p = probs.AsSpan(pOff + t * seq, seq);
                var d = scratch.AsSpan(sOff + t * seq, seq);
                float dot = TensorPrimitives.Dot(p, d);
                TensorPrimitives.Subtract(d, dot, d);
                TensorPrimitives.Multiply(d, p, d);
            }
            MatMul.AB(scratch, sOff, seq, 1, k, rowOff, hidden, dq, rowOff, hidden, seq, hs, seq, accumulate: true, alpha: scale);
            MatMul.AB(scratch, sOff, 1, seq, q, rowOff, hidden, dk, rowOff, hidden, seq, hs, seq, accumulate: true, alpha: scale);
        });
    }

    /// <summary>Per batch row, 0 for a kept key and -∞ for a masked one (null for the row when it masks nothing; null
    /// overall without a mask), so masking a score row is one vector add.</summary>
    private static float[]?[]? KeyBias(ReadOnlySpan<int> mask, int batch, int seq)
    {
        if (mask.IsEmpty)
            return null;
        var bias = new float[]?[batch];
        for (int b = 0; b < batch; b++)
        {
            var keys = mask.Slice(b * seq, seq);
            if (keys.Contains(0))
            {
                var row = new float[seq];
                for (int s = 0; s < seq; s++)
                    row[s] = keys[s] == 0 ? float.NegativeInfinity : 0f;
                bias[b] = row;
            }
        }
        return bias;
    }

    /// <summary>Softmax of row + <paramref name="keyBias"/> (see <see cref="KeyBias"/>); a row whose keys are all
    /// masked becomes all 0.</summary>
    private static void MaskedSoftmax(Span<float> row, float[]? keyBias)
    {
        if (keyBias is not null)
            TensorPrimitives.Add(row, keyBias.AsSpan(0, row.Length), row);
        float max = TensorPrimitives.Max(row);
        if (float.IsNegativeInfinity(max))
        {
            row.Clear();
            return;
        }
        float sum = ExpShiftedSum(row, max);
        TensorPrimitives.Multiply(row, 1f / sum, row);
    }

    /// <summary>row = exp(row - max) in place, returning the sum: one pass instead of three.</summary>
    private static float ExpShiftedSum(Span<float> row, float max)
    {
        int i = 0;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<float>.Zero;
            var m = Vector512.Create(max);
            ref float r0 = ref MemoryMarshal.GetReference(row);
            for (; i + 16 <= row.Length; i += 16)
            {
                var e = Vector512.Exp(Vector512.LoadUnsafe(ref r0, (nuint)i) - m);
                e.StoreUnsafe(ref r0, (nuint)i);
                acc += e;
            }
            sum = Vector512.Sum(acc);
        }
        for (; i < row.Length; i++)
        {
            float e = MathF.Exp(row[i] - max);
            row[i] = e;
            sum += e;
        }
        return sum;
    }

    /// <summary>Runs body(b, h, scratch) for every batch row and head, on up to <paramref name="threads"/> workers;
    /// each worker allocates one scratch of <paramref name="scratchLength"/> floats for all the heads it runs.</summary>
    private static void ForEachHead(int batch, int heads, int seq, int hs, int threads, int scratchLength, Action<int, int, float[]> body)
    {
        long work = (long)batch * heads * seq * seq * hs;
        if (work < (1L << 18) || threads <= 1)
        {
            var scratch = GC.AllocateUninitializedArray<float>(scratchLength);
            for (int b = 0; b < batch; b++)
                for (int h = 0; h < heads; h++)
                    body(b, h, scratch);
            return;
        }
        Parallel.For(0, batch * heads, new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => GC.AllocateUninitializedArray<float>(scratchLength),
            (i, _, scratch) =>
            {
                body(i / heads, i % heads, scratch);
                return scratch;
            },
            _ => { });
    }
}
