namespace RerankKit.Tests.Engine;

/// <summary>Central finite differences against an analytic gradient, on sampled coordinates. The loss is
/// evaluated in float32 and summed in double, so the step is 1e-3 and the tolerance allows float rounding.</summary>
internal static class GradientCheck
{
    public const float Step = 1e-3f;

    public static void Check(Func<double> loss, float[] values, ReadOnlySpan<float> analytic, string what, int samples = 24, int seed = 1)
    {
        Assert.Equal(values.Length, analytic.Length);
        double scale = 0;
        foreach (float g in analytic)
            scale = Math.Max(scale, Math.Abs(g));
        var random = new Random(seed);
        int count = Math.Min(samples, values.Length);
        var indices = values.Length <= samples ? Enumerable.Range(0, values.Length) : Enumerable.Range(0, count).Select(_ => random.Next(values.Length));
        bool anyNonZero = false;
        foreach (int i in indices)
        {
            float v = values[i];
            float up = v + Step, down = v - Step;
            values[i] = up;
            double lp = loss();
            values[i] = down;
            double lm = loss();
            values[i] = v;
            double numeric = (lp - lm) / ((double)up - down);
            double diff = Math.Abs(numeric - analytic[i]);
            double tolerance = 2e-3 * Math.Max(1.0, scale) + 2e-2 * Math.Abs(numeric);
            Assert.True(diff <= tolerance, $"{what}[{i}]: analytic {analytic[i]:G6}, numeric {numeric:G6} (|diff| {diff:E2} > {tolerance:E2})");
            anyNonZero |= Math.Abs(numeric) > 1e-4;
        }
        Assert.True(anyNonZero || scale < 1e-4, $"{what}: every sampled numeric gradient was zero while the analytic one was not");
    }

    /// <summary>Checks every coordinate in [offset, offset+count).</summary>
    public static void CheckRange(Func<double> loss, float[] values, float[] analytic, int offset, int count, string what)
    {
        var slice = new float[count];
        Array.Copy(values, offset, slice, 0, count);
        double Sliced()
        {
            Array.Copy(slice, 0, values, offset, count);
            return loss();
        }
        Check(Sliced, slice, analytic.AsSpan(offset, count), what, samples: count);
    }

    public static float[] Random(int n, int seed, float scale = 1f)
    {
        var r = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++)
            x[i] = (float)((r.NextDouble() * 2 - 1) * scale);
        return x;
    }

    public static double Weighted(ReadOnlySpan<float> output, float[] weights)
    {
        double s = 0;
        for (int i = 0; i < output.Length; i++)
            s += (double)output[i] * weights[i];
        return s;
    }
}
