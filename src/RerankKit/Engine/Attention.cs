using System.Numerics.Tensors;

namespace RerankKit.Engine;

/// <summary>Multi-head scaled dot-product self-attention with a key padding mask, as BERT computes it:
/// <c>P = softmax(Q Kᵀ / √d + mask)</c>, <c>ctx = P V</c>. Q, K, V and ctx are [B·T, H] with head h in columns
/// h·d .. h·d+d-1; probabilities are [B, heads, T, T]. Masked keys get probability exactly 0.</summary>
public static class Attention
{
    public static void Forward(float[] q, float[] k, float[] v, ReadOnlySpan<int> mask, float[] probs, float[] ctx,
        int batch, int seq, int hidden, int heads)
    {
        int hs = hidden / heads;
        float scale = 1f / MathF.Sqrt(hs);
        int[]? maskCopy = mask.IsEmpty ? null : mask.ToArray();
        ForEachHead(batch, heads, seq, hs, (b, h) =>
        {
            int rowOff = b * seq * hidden + h * hs;
            int pOff = (b * heads + h) * seq * seq;
            MatMul.ABt(q, rowOff, hidden, k, rowOff, hidden, probs, pOff, seq, seq, seq, hs, alpha: scale, allowParallel: false);
            for (int t = 0; t < seq; t++)
                MaskedSoftmax(probs.AsSpan(pOff + t * seq, seq), maskCopy is null ? default : maskCopy.AsSpan(b * seq, seq));
            var vt = new float[hs * seq];
            MatMul.Transpose(v, rowOff, hidden, seq, hs, vt, 0, seq);
            MatMul.ABt(probs, pOff, seq, vt, 0, seq, ctx, rowOff, hidden, seq, hs, seq, allowParallel: false);
        });
    }

    /// <summary>Accumulates dQ, dK and dV from dCtx and the forward's Q, K, V and probabilities.</summary>
    public static void Backward(float[] dCtx, float[] q, float[] k, float[] v, float[] probs, float[] dq, float[] dk, float[] dv,
        int batch, int seq, int hidden, int heads)
    {
        int hs = hidden / heads;
        float scale = 1f / MathF.Sqrt(hs);
        ForEachHead(batch, heads, seq, hs, (b, h) =>
        {
            int rowOff = b * seq * hidden + h * hs;
            int pOff = (b * heads + h) * seq * seq;
            var dP = new float[seq * seq];
            MatMul.ABt(dCtx, rowOff, hidden, v, rowOff, hidden, dP, 0, seq, seq, seq, hs, allowParallel: false);

            var pT = new float[seq * seq];
            MatMul.Transpose(probs, pOff, seq, seq, seq, pT, 0, seq);
            var dCtxT = new float[hs * seq];
            MatMul.Transpose(dCtx, rowOff, hidden, seq, hs, dCtxT, 0, seq);
            MatMul.ABt(pT, 0, seq, dCtxT, 0, seq, dv, rowOff, hidden, seq, hs, seq, accumulate: true, allowParallel: false);

            for (int t = 0; t < seq; t++)
            {
                var p = probs.AsSpan(pOff + t * seq, seq);
                var d = dP.AsSpan(t * seq, seq);
                float dot = TensorPrimitives.Dot(p, d);
                TensorPrimitives.Subtract(d, dot, d);
                TensorPrimitives.Multiply(d, p, d);
            }
            var kT = new float[hs * seq];
            MatMul.Transpose(k, rowOff, hidden, seq, hs, kT, 0, seq);
            MatMul.ABt(dP, 0, seq, kT, 0, seq, dq, rowOff, hidden, seq, hs, seq, accumulate: true, alpha: scale, allowParallel: false);

            var dST = pT;
            MatMul.Transpose(dP, 0, seq, seq, seq, dST, 0, seq);
            var qT = kT;
            MatMul.Transpose(q, rowOff, hidden, seq, hs, qT, 0, seq);
            MatMul.ABt(dST, 0, seq, qT, 0, seq, dk, rowOff, hidden, seq, hs, seq, accumulate: true, alpha: scale, allowParallel: false);
        });
    }

    /// <summary>Softmax over the keys whose mask is non-zero; masked keys get 0.</summary>
    public static void MaskedSoftmax(Span<float> row, ReadOnlySpan<int> keyMask)
    {
        if (keyMask.IsEmpty)
        {
            TensorPrimitives.SoftMax(row, row);
            return;
        }
        float max = float.NegativeInfinity;
        for (int s = 0; s < row.Length; s++)
            if (keyMask[s] != 0 && row[s] > max)
                max = row[s];
        if (float.IsNegativeInfinity(max))
        {
            row.Clear();
            return;
        }
        float sum = 0;
        for (int s = 0; s < row.Length; s++)
        {
            float e = keyMask[s] != 0 ? MathF.Exp(row[s] - max) : 0f;
            row[s] = e;
            sum += e;
        }
        TensorPrimitives.Multiply(row, 1f / sum, row);
    }

    private static void ForEachHead(int batch, int heads, int seq, int hs, Action<int, int> body)
    {
        long work = (long)batch * heads * seq * seq * hs;
        if (work < (1L << 18) || Environment.ProcessorCount == 1)
        {
            for (int b = 0; b < batch; b++)
                for (int h = 0; h < heads; h++)
                    body(b, h);
            return;
        }
        Parallel.For(0, batch * heads, i => body(i / heads, i % heads));
    }
}
