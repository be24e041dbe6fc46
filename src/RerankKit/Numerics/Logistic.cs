namespace RerankKit.Numerics;

/// <summary>The logistic sigmoid, in one place for score activation, retrieval calibration and training losses.</summary>
public static class Logistic
{
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>Double precision for losses: below zero it is computed as e^z / (1 + e^z), so the small results keep
    /// their relative precision instead of rounding 1 + e^-z.</summary>
    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}
