using RerankKit.Explain;

namespace RerankKit.Tests.Explain;

public sealed class TrajectoryPcaTests
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
        var pca = TrajectoryPca.Fit(points);

        Assert.Equal(1.0, Math.Abs(Dot(pca.Axis1, u)), 9);
        Assert.Equal(1.0, Math.Abs(Dot(pca.Axis2, v)), 9);
        Assert.Equal(1.0, pca.ExplainedVariance1 + pca.ExplainedVariance2, 9);
        Assert.True(pca.ExplainedVariance1 > pca.ExplainedVariance2);
        double meanA = coefficients.Average(c => c.A), meanB = coefficients.Average(c => c.B);
        double signA = Math.Sign(Dot(pca.Axis1, u)), signB = Math.Sign(Dot(pca.Axis2, v));
        for (int i = 0; i < points.Count; i++)
        {
            var (x, y) = pca.Project(points[i]);
            Assert.Equal(signA * (coefficients[i].A - meanA), x, 9);
            Assert.Equal(signB * (coefficients[i].B - meanB), y, 9);
        }
    }

    [Fact]
    public void JacobiGivesEigenpairsOfASymmetricMatrix()
    {
        double[,] m = { { 4, 1, 2 }, { 1, 3, 0 }, { 2, 0, 5 } };
        var (values, vectors) = SymmetricEigen.Decompose(m);
        Assert.True(values[0] >= values[1] && values[1] >= values[2]);
        Assert.Equal(12, values.Sum(), 9);
        for (int c = 0; c < 3; c++)
            for (int r = 0; r < 3; r++)
            {
                double mv = 0;
                for (int k = 0; k < 3; k++) mv += m[r, k] * vectors[k, c];
                Assert.Equal(values[c] * vectors[r, c], mv, 9);
            }
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
