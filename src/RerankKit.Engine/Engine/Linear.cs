namespace RerankKit.Engine;

/// <summary>A fully connected layer in PyTorch layout: <c>out[N,OC] = inp[N,C] · Wᵀ + b</c> with W [OC, C].</summary>
internal static class Linear
{
    public static void Forward(float[] inp, float[] weight, float[]? bias, float[] output, int n, int c, int oc, int threads = 1)
    {
        MatMul.ABt(inp, 0, c, weight, 0, c, output, 0, oc, n, oc, c, threads: threads);
        if (bias is not null)
            for (int i = 0; i < n; i++)
                System.Numerics.Tensors.TensorPrimitives.Add(output.AsSpan(i * oc, oc), bias.AsSpan(0, oc), output.AsSpan(i * oc, oc));
    }

    /// <summary>Accumulates dInp += dOut · W, dWeight += dOutᵀ · inp and dBias += Σ rows of dOut; each target is optional.</summary>
    public static void Backward(float[] dOut, float[] inp, float[] weight, float[]? dInp, float[]? dWeight, float[]? dBias, int n, int c, int oc, int threads = 1)
    {
        if (dInp is not null)
            MatMul.AB(dOut, 0, oc, 1, weight, 0, c, dInp, 0, c, n, c, oc, accumulate: true, threads: threads);
        if (dWeight is not null)
            MatMul.AB(dOut, 0, 1, oc, inp, 0, c, dWeight, 0, c, oc, c, n, accumulate: true, threads: threads);
        if (dBias is not null)
            for (int i = 0; i < n; i++)
                System.Numerics.Tensors.TensorPrimitives.Add(dBias.AsSpan(0, oc), dOut.AsSpan(i * oc, oc), dBias.AsSpan(0, oc));
    }
}
