using System.Numerics.Tensors;

namespace RerankKit.Engine;

/// <summary>Element-wise tanh, forward and backward (the pooler's and XLM-R classifier's activation).</summary>
internal static class TanhActivation
{
    public static void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Tanh(x, y);

    /// <summary>Accumulates dx += dy · (1 - y²) from the forward's output y.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < y.Length; i++)
            dx[i] += dy[i] * (1f - y[i] * y[i]);
    }
}
