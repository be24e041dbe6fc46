namespace RerankKit.Numerics;

/// <summary>Standard normal samples by Box–Muller, in one place for weight initialisation, the seeded training
/// generator and the jitter of embedding layouts, so every seeded stream stays reproducible.</summary>
public static class StandardNormal
{
    /// <summary>One sample from two uniform draws, the first taken as 1 - u so that it lies in (0, 1] and the
    /// logarithm stays finite.</summary>
    public static double Sample(Random random) => FromUniforms(1.0 - random.NextDouble(), random.NextDouble());

    /// <summary>Box–Muller from <paramref name="u1"/> in (0, 1] and <paramref name="u2"/> in [0, 1).</summary>
    public static double FromUniforms(double u1, double u2) => Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
}
