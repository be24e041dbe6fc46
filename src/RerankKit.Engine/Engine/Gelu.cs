using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    /// <summary>dx += dy · GELU'(x) for the first <paramref name="length"/> values, split like <see cref="Forward(float[], float[], int, GeluKind, int)"/>.</summary>
    public static void Backward(float[] x, float[] dy, float[] dx, int length, GeluKind kind, int threads)
    {
        const int parallelChunk = 1 << 16;
        if (length < 2 * parallelChunk || threads <= 1)
        {
            Backward(x.AsSpan(0, length), dy.AsSpan(0, length), dx.AsSpan(0, length), kind);
            return;
        }
        int parts = (length + parallelChunk - 1) / parallelChunk;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, p =>
        {
            int start = p * parallelChunk, len = Math.Min(parallelChunk, length - start);
            Backward(x.AsSpan(start, len), dy.AsSpan(start, len), dx.AsSpan(start, len), kind);
        });
    }

    public static void Forward(ReadOnlySpan<float> x, Span<float> y, GeluKind kind)
    {
        if (kind == GeluKind.Erf && (Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated))
        {
            FusedErf(x, y, default, default);
            return;
        }
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
        if (kind == GeluKind.Erf && (Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated))
        {
            FusedErf(x, default, dy, dx);
            return;
        }
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

    /// <summary>The erf form in one pass per vector, by the formula of <see cref="Erf(float)"/>: y = GELU(x) when
    /// <paramref name="y"/> is given, else dx += dy · GELU'(x). The forward's exp(-x²/2) is the derivative's φ(x) up
    /// to 1/√(2π), so the backward costs one exp too. The last values that fill no vector take the scalar path.</summary>
    private static void FusedErf(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        bool forward = dx.IsEmpty;
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float y0 = ref MemoryMarshal.GetReference(forward ? y : dx);
        ref float d0 = ref MemoryMarshal.GetReference(dy);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= x.Length; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref x0, (nuint)i);
                var (phi, deriv) = ErfParts(v);
                if (forward)
                    (0.5f * v * (Vector512<float>.One + phi)).StoreUnsafe(ref y0, (nuint)i);
                else
                    Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref d0, (nuint)i), 0.5f * (Vector512<float>.One + phi) + v * deriv,
                        Vector512.LoadUnsafe(ref y0, (nuint)i)).StoreUnsafe(ref y0, (nuint)i);
            }
        else
            for (; i + 8 <= x.Length; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref x0, (nuint)i);
                var (phi, deriv) = ErfParts(v);
                if (forward)
                    (0.5f * v * (Vector256<float>.One + phi)).StoreUnsafe(ref y0, (nuint)i);
                else
                    Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref d0, (nuint)i), 0.5f * (Vector256<float>.One + phi) + v * deriv,
                        Vector256.LoadUnsafe(ref y0, (nuint)i)).StoreUnsafe(ref y0, (nuint)i);
            }
        for (; i < x.Length; i++)
        {
            if (forward)
                y[i] = Scalar(x[i], GeluKind.Erf);
            else
                dx[i] += dy[i] * Derivative(x[i], GeluKind.Erf);
        }
    }

    /// <summary>(erf(v/√2), exp(-v²/2)/√(2π)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float> Erf, Vector512<float> Density) ErfParts(Vector512<float> v)
    {
        var z = Vector512.Abs(v) * InvSqrt2;
        var t = Vector512<float>.One / Vector512.FusedMultiplyAdd(z, Vector512.Create(P), Vector512<float>.One);
        var poly = Vector512.FusedMultiplyAdd(Vector512.Create(A5), t, Vector512.Create(A4));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(A3));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(A2));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(A1)) * t;
        var e = Vector512.Exp(-(z * z));
        var erf = Vector512.CopySign(Vector512<float>.One - poly * e, v);
        return (erf, e * InvSqrt2Pi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Erf, Vector256<float> Density) ErfParts(Vector256<float> v)
    {
        var z = Vector256.Abs(v) * InvSqrt2;
        var t = Vector256<float>.One / Vector256.FusedMultiplyAdd(z, Vector256.Create(P), Vector256<float>.One);
        var poly = Vector256.FusedMultiplyAdd(Vector256.Create(A5), t, Vector256.Create(A4));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(A3));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(A2));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(A1)) * t;
        var e = Vector256.Exp(-(z * z));
        var erf = Vector256.CopySign(Vector256<float>.One - poly * e, v);
        return (erf, e * InvSqrt2Pi);
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
