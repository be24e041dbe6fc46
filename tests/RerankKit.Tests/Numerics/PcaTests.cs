using RerankKit.Numerics;

namespace RerankKit.Tests.Numerics;

public sealed class PcaTests
{
    [Fact]
    public void RecoversThePlaneThePointsLieIn()
    {
        // Points a*u + b*v + offset with orthonormal u, v in R^6, a and b crossed on a grid (so uncorrelated) and
        // var(a) > var(b): the PCA axes are ±u and ±v and the projections are the centred (a, b) up to sign.
        double s = 1 / Math.Sqrt(2);
        double[] u = [s, s, 0, 0, 0, 0], v = [0, 0, 0.6, 0.8, 0, 0], offset = [1, 2, 3, 4, 5, 6];
        var coefficients = Enumerable.Range(0, 5).SelectMany(a => new[] { (A: a - 1.0, B: -0.5), (A: a - 1.0, B: 0.5) }).ToArray();
        var points = coefficients.Select(c => Enumerable.Range(0, 6).Select(j => c.A * u[j] + c.B * v[j] + offset[j]).ToArray()).ToList();
        var pca = Pca.Fit(points, components: 2);

        Assert.Equal(1.0, Math.Abs(Dot(pca.Axes[0], u)), 9);
        Assert.Equal(1.0, Math.Abs(Dot(pca.Axes[1], v)), 9);
        Assert.Equal(1.0, pca.ExplainedVariance[0] + pca.ExplainedVariance[1], 9);
        Assert.True(pca.ExplainedVariance[0] > pca.ExplainedVariance[1]);
        double meanA = coefficients.Average(c => c.A), meanB = coefficients.Average(c => c.B);
        double signA = Math.Sign(Dot(pca.Axes[0], u)), signB = Math.Sign(Dot(pca.Axes[1], v));
        for (int i = 0; i < points.Count; i++)
        {
            var projected = pca.Project(points[i]);
            Assert.Equal(signA * (coefficients[i].A - meanA), projected[0], 9);
            Assert.Equal(signB * (coefficients[i].B - meanB), projected[1], 9);
        }
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
