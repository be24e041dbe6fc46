using System.Numerics.Tensors;

namespace RerankKit.Engine;

/// <summary>GELU activation, exact (erf) and tanh forms, forward and backward.</summary>
internal static class Gelu
{
    private const float InvSqrt2 = 0.70710678118654752f;
    private const float InvSqrt2Pi = 0.39894228040143268f;
    private const float TanhScale = 0.79788456080286536f;
    private const float TanhCubic = 0.044715f;

    public static GeluKind Parse(string hiddenAct) => hiddenAct switch
    {
        "gelu" => GeluKind.Erf,
        "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => GeluKind.Tanh,
        _ => throw new NotSupportedException($"hidden_act '{hiddenAct}' is not supported by the native engine (gelu, gelu_new, gelu_pytorch_tanh are)"),
    };

    /// <summary>y = GELU(x) for the first <paramref name="length"/> values, split across up to <paramref name="threads"/> workers when large.</summary>
    public static void Forward(float[] x, float[] y, int length, GeluKind kind, int threads)
    {
        const int parallelChunk = 1 << 16;
        if (length < 2 * parallelChunk || threads <= 1)
        {
            Forward(x.AsSpan(0, length), y.AsSpan(0, length), kind);
            return;
        }
        int parts = (length + parallelChunk - 1) / parallelChunk;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, p =>
        {
            int start = p * parallelChunk, len = Math.Min(parallelChunk, length - start);
            Forward(x.AsSpan(start, len), y.AsSpan(start, len), kind);
        });
    }

    public static void Forward(ReadOnlySpan<float> x, Span<float> y, GeluKind kind)
    {
        // Chunks stay in cache while TensorPrimitives applies each vectorised step; large enough that the
        // per-call overhead of TensorPrimitives does not dominate.
        const int chunk = 4096;
        int size = Math.Min(chunk, x.Length);
        Span<float> u = new float[size];
        Span<float> t = new float[size];
        Span<float> poly = new float[size];
        for (int start = 0; start < x.Length; start += chunk)
        {
            int len = Math.Min(chunk, x.Length - start);
            var xs = x.Slice(start, len);
            var ys = y.Slice(start, len);
            var us = u[..len];
            var ts = t[..len];
            if (kind == GeluKind.Erf)
                ErfInto(xs, InvSqrt2, us, ts, poly[..len]);
            else
            {
                TensorPrimitives.Multiply(xs, xs, us);
                TensorPrimitives.Multiply(us, TanhScale * TanhCubic, us);
                TensorPrimitives.Add(us, TanhScale, us);
                TensorPrimitives.Multiply(us, xs, us);
                TensorPrimitives.Tanh(us, us);
            }
            TensorPrimitives.Add(us, 1f, us);
            TensorPrimitives.Multiply(us, xs, us);
            TensorPrimitives.Multiply(us, 0.5f, ys);
        }
    }

    /// <summary>r = erf(scale · x), by the same formula as <see cref="Erf(float)"/>; t and poly are scratch.</summary>
    private static void ErfInto(ReadOnlySpan<float> x, float scale, Span<float> r, Span<float> t, Span<float> poly)
    {
        TensorPrimitives.Multiply(x, scale, r);
        TensorPrimitives.Abs(r, r);
        TensorPrimitives.Multiply(r, P, t);
        TensorPrimitives.Add(t, 1f, t);
        TensorPrimitives.Reciprocal(t, t);
        TensorPrimitives.Multiply(r, r, r);
        TensorPrimitives.Negate(r, r);
        TensorPrimitives.Exp(r, r);
        TensorPrimitives.Multiply(t, A5, poly);
        TensorPrimitives.Add(poly, A4, poly);
        TensorPrimitives.FusedMultiplyAdd(poly, t, A3, poly);
        TensorPrimitives.FusedMultiplyAdd(poly, t, A2, poly);
        TensorPrimitives.FusedMultiplyAdd(poly, t, A1, poly);
        TensorPrimitives.Multiply(poly, t, poly);
        TensorPrimitives.Multiply(poly, r, r);
        TensorPrimitives.Subtract(1f, r, r);
        TensorPrimitives.CopySign(r, x, r);
    }

    /// <summary>Accumulates dx += dy · GELU'(x), vectorised in cache-sized chunks like <see cref="Forward(ReadOnlySpan{float}, Span{float}, GeluKind)"/>:
    /// erf form GELU'(x) = Φ(x) + x·φ(x); tanh form 0.5·(1 + t) + 0.5·x·(1 - t²)·u'(x) with t = tanh(u(x)).</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, GeluKind kind)
    {
        const int chunk = 4096;
        int size = Math.Min(chunk, x.Length);
        Span<float> d = new float[size];
        Span<float> t = new float[size];
        Span<float> poly = new float[size];
        Span<float> w = new float[size];
        for (int start = 0; start < x.Length; start += chunk)
        {
            int len = Math.Min(chunk, x.Length - start);
            var xs = x.Slice(start, len);
            var ds = d[..len];
            var ts = t[..len];
            var ws = w[..len];
            if (kind == GeluKind.Erf)
            {
                // ds = 0.5 (1 + erf(x/√2)); ws = x · exp(-x²/2) / √(2π)
                ErfInto(xs, InvSqrt2, ds, ts, poly[..len]);
                TensorPrimitives.Add(ds, 1f, ds);
                TensorPrimitives.Multiply(ds, 0.5f, ds);
                TensorPrimitives.Multiply(xs, xs, ws);
                TensorPrimitives.Multiply(ws, -0.5f, ws);
                TensorPrimitives.Exp(ws, ws);
                TensorPrimitives.Multiply(ws, xs, ws);
                TensorPrimitives.FusedMultiplyAdd(ws, InvSqrt2Pi, ds, ds);
            }
            else
            {
                // ts = tanh(u), u = c (x + a x³); ws = u' = c (1 + 3a x²)
                TensorPrimitives.Multiply(xs, xs, ws);
                TensorPrimitives.Multiply(ws, TanhScale * TanhCubic, ts);
                TensorPrimitives.Add(ts, TanhScale, ts);
                TensorPrimitives.Multiply(ts, xs, ts);
                TensorPrimitives.Tanh(ts, ts);
                TensorPrimitives.Multiply(ws, 3f * TanhScale * TanhCubic, ws);
                TensorPrimitives.Add(ws, TanhScale, ws);
                // ds = 0.5 (1 + t) + 0.5 x (1 - t²) u'
                TensorPrimitives.Multiply(ts, ts, ds);
                TensorPrimitives.Subtract(1f, ds, ds);
                TensorPrimitives.Multiply(ds, ws, ds);
                TensorPrimitives.Multiply(ds, xs, ds);
                TensorPrimitives.Add(ds, ts, ds);
                TensorPrimitives.Add(ds, 1f, ds);
                TensorPrimitives.Multiply(ds, 0.5f, ds);
            }
            var dxs = dx.Slice(start, len);
            TensorPrimitives.FusedMultiplyAdd(dy.Slice(start, len), ds, dxs, dxs);
        }
    }

    public static float Scalar(float x, GeluKind kind) => kind == GeluKind.Erf
        ? 0.5f * x * (1f + Erf(x * InvSqrt2))
        : 0.5f * x * (1f + MathF.Tanh(TanhScale * (x + TanhCubic * x * x * x)));

    public static float Derivative(float x, GeluKind kind)
    {
        if (kind == GeluKind.Erf)
            return 0.5f * (1f + Erf(x * InvSqrt2)) + x * InvSqrt2Pi * MathF.Exp(-0.5f * x * x);
        float u = TanhScale * (x + TanhCubic * x * x * x);
        float t = MathF.Tanh(u);
        float du = TanhScale * (1f + 3f * TanhCubic * x * x);
        return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * du;
    }

    // .NET has no erf; Abramowitz and Stegun 7.1.26 (|error| < 1.5e-7) is well inside float32 tolerances.
    private const float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    public static float Erf(float x)
    {
        float ax = MathF.Abs(x);
        float t = 1f / (1f + P * ax);
        float poly = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t;
        float r = 1f - poly * MathF.Exp(-ax * ax);
        return x < 0 ? -r : r;
    }
}
