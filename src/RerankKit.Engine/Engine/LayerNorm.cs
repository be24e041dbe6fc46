using System.Numerics.Tensors;

namespace RerankKit.Engine;

/// <summary>LayerNorm over the last dimension: <c>y = (x - mean) / sqrt(var + eps) · γ + β</c>.</summary>
internal static class LayerNorm
{
    /// <summary>Normalises each of <paramref name="n"/> rows of width <paramref name="c"/>; keeps each row's mean
    /// and reciprocal standard deviation for the backward pass when those buffers are given.</summary>
    public static void Forward(ReadOnlySpan<float> inp, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> output,
        Span<float> mean, Span<float> rstd, int n, int c, float eps)
    {
        for (int i = 0; i < n; i++)
        {
            var x = inp.Slice(i * c, c);
            var y = output.Slice(i * c, c);
            float m = TensorPrimitives.Sum(x) / c;
            TensorPrimitives.Subtract(x, m, y);
            float rs = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(y) / c + eps);
            TensorPrimitives.Multiply(y, rs, y);
            TensorPrimitives.FusedMultiplyAdd(y, gamma, beta, y);
            if (!mean.IsEmpty)
            {
                mean[i] = m;
                rstd[i] = rs;
            }
        }
    }

    /// <summary>Accumulates dInp, dGamma and dBeta from dOut and the forward's input, mean and rstd.</summary>
    public static void Backward(ReadOnlySpan<float> dOut, ReadOnlySpan<float> inp, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dInp, Span<float> dGamma, Span<float> dBeta, int n, int c)
    {
        Span<float> xhat = c <= 4096 ? stackalloc float[c] : new float[c];
        Span<float> g = c <= 4096 ? stackalloc float[c] : new float[c];
        for (int i = 0; i < n; i++)
        {
            var dy = dOut.Slice(i * c, c);
            var x = inp.Slice(i * c, c);
            TensorPrimitives.Subtract(x, mean[i], xhat);
            TensorPrimitives.Multiply(xhat, rstd[i], xhat);
            TensorPrimitives.Multiply(dy, gamma, g);
            float gMean = TensorPrimitives.Sum(g) / c;
            float gxMean = TensorPrimitives.Dot(g, xhat) / c;
            if (!dBeta.IsEmpty)
                TensorPrimitives.Add(dBeta, dy, dBeta);
            if (!dGamma.IsEmpty)
                TensorPrimitives.FusedMultiplyAdd(xhat, dy, dGamma, dGamma);
            var dx = dInp.Slice(i * c, c);
            float r = rstd[i];
            for (int j = 0; j < c; j++)
                dx[j] += (g[j] - gMean - xhat[j] * gxMean) * r;
        }
    }
}
