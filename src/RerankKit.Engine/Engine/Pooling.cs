using System.Numerics.Tensors;

namespace RerankKit.Engine;

/// <summary>Sentence-transformers pooling of a last hidden state [B, T, H] into [B, H], and L2 normalisation,
/// forward and backward.</summary>
internal static class Pooling
{
    /// <summary>Mean over the positions whose mask is non-zero (divided by max(count, 1e-9), as sentence-transformers does).</summary>
    public static void MeanForward(ReadOnlySpan<float> hidden, ReadOnlySpan<int> mask, Span<float> output, int batch, int seq, int size)
    {
        output.Slice(0, batch * size).Clear();
        for (int b = 0; b < batch; b++)
        {
            var y = output.Slice(b * size, size);
            float count = 0;
            for (int t = 0; t < seq; t++)
            {
                if (mask[b * seq + t] == 0)
                    continue;
                TensorPrimitives.Add(y, hidden.Slice((b * seq + t) * size, size), y);
                count++;
            }
            TensorPrimitives.Multiply(y, 1f / Math.Max(count, 1e-9f), y);
        }
    }

    /// <summary>Accumulates dHidden from dOut [B, H].</summary>
    public static void MeanBackward(ReadOnlySpan<float> dOut, ReadOnlySpan<int> mask, Span<float> dHidden, int batch, int seq, int size)
    {
        for (int b = 0; b < batch; b++)
        {
            float count = 0;
            for (int t = 0; t < seq; t++)
                count += mask[b * seq + t] != 0 ? 1 : 0;
            float inv = 1f / Math.Max(count, 1e-9f);
            var d = dOut.Slice(b * size, size);
            for (int t = 0; t < seq; t++)
            {
                if (mask[b * seq + t] == 0)
                    continue;
                var dh = dHidden.Slice((b * seq + t) * size, size);
                TensorPrimitives.MultiplyAdd(d, inv, dh, dh);
            }
        }
    }

    /// <summary>The first position's vector of each sequence (CLS pooling).</summary>
    public static void ClsForward(ReadOnlySpan<float> hidden, Span<float> output, int batch, int seq, int size)
    {
        for (int b = 0; b < batch; b++)
            hidden.Slice(b * seq * size, size).CopyTo(output.Slice(b * size, size));
    }

    public static void ClsBackward(ReadOnlySpan<float> dOut, Span<float> dHidden, int batch, int seq, int size)
    {
        for (int b = 0; b < batch; b++)
        {
            var dh = dHidden.Slice(b * seq * size, size);
            TensorPrimitives.Add(dh, dOut.Slice(b * size, size), dh);
        }
    }

    /// <summary>y = x / max(‖x‖, 1e-12) per row, as torch.nn.functional.normalize.</summary>
    public static void L2NormalizeForward(ReadOnlySpan<float> x, Span<float> y, int rows, int size)
    {
        for (int r = 0; r < rows; r++)
        {
            float norm = Math.Max(TensorPrimitives.Norm(x.Slice(r * size, size)), 1e-12f);
            TensorPrimitives.Divide(x.Slice(r * size, size), norm, y.Slice(r * size, size));
        }
    }

    /// <summary>Accumulates dx += (dy - y (y·dy)) / ‖x‖.</summary>
    public static void L2NormalizeBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int size)
    {
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * size, size);
            var yr = y.Slice(r * size, size);
            var dyr = dy.Slice(r * size, size);
            var dxr = dx.Slice(r * size, size);
            float norm = Math.Max(TensorPrimitives.Norm(xr), 1e-12f);
            float dot = TensorPrimitives.Dot(yr, dyr);
            for (int i = 0; i < size; i++)
                dxr[i] += (dyr[i] - yr[i] * dot) / norm;
        }
    }
}
