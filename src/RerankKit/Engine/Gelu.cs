using System.Runtime.Intrinsics;

namespace RerankKit.Engine;

/// <summary>GELU activation, exact (erf) and tanh forms, forward and backward.</summary>
public static class Gelu
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

    public static void Forward(ReadOnlySpan<float> x, Span<float> y, GeluKind kind)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var half = Vector256.Create(0.5f);
            var one = Vector256<float>.One;
            for (; i + 8 <= x.Length; i += 8)
            {
                var v = Vector256.Create(x.Slice(i, 8));
                var inner = kind == GeluKind.Erf
                    ? Erf(v * InvSqrt2)
                    : Tanh(v * (Vector256.Create(TanhScale) + Vector256.Create(TanhScale * TanhCubic) * v * v));
                (half * v * (one + inner)).CopyTo(y.Slice(i, 8));
            }
        }
        for (; i < x.Length; i++)
            y[i] = Scalar(x[i], kind);
    }

    /// <summary>Accumulates dx += dy · GELU'(x).</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, GeluKind kind)
    {
        for (int i = 0; i < x.Length; i++)
            dx[i] += dy[i] * Derivative(x[i], kind);
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

    private static Vector256<float> Erf(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var t = Vector256<float>.One / (Vector256<float>.One + Vector256.Create(P) * ax);
        var poly = ((((Vector256.Create(A5) * t + Vector256.Create(A4)) * t + Vector256.Create(A3)) * t + Vector256.Create(A2)) * t + Vector256.Create(A1)) * t;
        var r = Vector256<float>.One - poly * Vector256.Exp(-(ax * ax));
        return Vector256.CopySign(r, x);
    }

    private static Vector256<float> Tanh(Vector256<float> u)
    {
        // tanh(u) = 1 - 2 / (exp(2u) + 1), with u clamped so exp stays finite.
        var c = Vector256.Clamp(u, Vector256.Create(-20f), Vector256.Create(20f));
        var e = Vector256.Exp(c + c);
        return Vector256<float>.One - Vector256.Create(2f) / (e + Vector256<float>.One);
    }
}
