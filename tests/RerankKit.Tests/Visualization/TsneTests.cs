using RerankKit.Visualization;

namespace RerankKit.Tests.Visualization;

public class TsneTests
{
    [Fact]
    public void Perplexity_search_reaches_the_target_entropy()
    {
        var rng = new Random(3);
        var distances = Enumerable.Range(0, 60).Select(_ => rng.NextDouble() * 5).ToArray();

        var p = Tsne.ConditionalRow(distances, perplexity: 10);

        Assert.Equal(1.0, p.Sum(), 9);
        double entropy = -p.Where(v => v > 0).Sum(v => v * Math.Log(v));
        Assert.Equal(Math.Log(10), entropy, 4);
    }

    [Fact]
    public void Exact_gradient_matches_finite_differences_of_the_kl_divergence()
    {
        var rng = new Random(5);
        int n = 8;
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 5).Select(_ => rng.NextDouble()).ToArray()).ToArray();
        var p = Tsne.JointProbabilities(PointSet.SquaredDistances(x), n, perplexity: 2);
        var y = Enumerable.Range(0, n).Select(_ => new[] { rng.NextDouble(), rng.NextDouble() }).ToArray();
        var grad = Enumerable.Range(0, n).Select(_ => new double[2]).ToArray();

        Tsne.ExactGradient(p, y, grad, exaggeration: 1);

        const double h = 1e-6;
        for (int i = 0; i < n; i++)
        {
            for (int d = 0; d < 2; d++)
            {
                y[i][d] += h;
                double up = Kl(p, y);
                y[i][d] -= 2 * h;
                double down = Kl(p, y);
                y[i][d] += h;
                Assert.Equal((up - down) / (2 * h), grad[i][d], 5);
            }
        }
    }

    [Fact]
    public void Barnes_hut_repulsion_with_zero_angle_equals_the_direct_sum()
    {
        var rng = new Random(9);
        var y = Enumerable.Range(0, 50).Select(_ => new[] { rng.NextDouble() * 4, rng.NextDouble() * 4 }).ToArray();
        y[7] = [.. y[3]];
        var tree = QuadTree.Build(y);

        for (int i = 0; i < y.Length; i++)
        {
            double fx = 0, fy = 0, z = 0;
            for (int j = 0; j < y.Length; j++)
            {
                if (j == i)
                    continue;
                double dx = y[i][0] - y[j][0], dy = y[i][1] - y[j][1];
                double w = 1 / (1 + dx * dx + dy * dy);
                z += w;
                fx += w * w * dx;
                fy += w * w * dy;
            }
            var (tx, ty, tz) = tree.Repulsion(i, y[i][0], y[i][1], angle: 0);
            Assert.Equal(z, tz, 9);
            Assert.Equal(fx, tx, 9);
            Assert.Equal(fy, ty, 9);
        }
    }

    [Theory]
    [InlineData(500)]
    [InlineData(0)]
    public void Keeps_gaussian_clusters_apart_and_neighbourhoods_trustworthy(int exactMaxPoints)
    {
        var (points, labels) = SyntheticClusters.Generate(240, 5, 20, seed: 1);
        var tsne = new Tsne(new TsneOptions { ExactMaxPoints = exactMaxPoints, MaxIterations = 500 });

        var map = tsne.FitTransform(points);

        Assert.Equal(exactMaxPoints == 0, tsne.UsedBarnesHut);
        Assert.True(ClusterAgreement.NeighborLabelAgreement(map, labels) > 0.99);
        Assert.True(ClusterAgreement.SeparationRatio(map, labels) > 2);
        Assert.True(Trustworthiness.Compute(points, map) > 0.9);
    }

    [Fact]
    public void Same_seed_gives_the_same_map()
    {
        var (points, _) = SyntheticClusters.Generate(120, 3, 8, seed: 2);
        var options = new TsneOptions { ExactMaxPoints = 0, MaxIterations = 300 };

        var first = new Tsne(options).FitTransform(points);
        var second = new Tsne(options).FitTransform(points);

        Assert.Equal(first.SelectMany(r => r), second.SelectMany(r => r));
    }

    private static double Kl(double[] p, double[][] y)
    {
        int n = y.Length;
        double z = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j)
                    z += 1 / (1 + Sq(y[i][0] - y[j][0]) + Sq(y[i][1] - y[j][1]));
        double kl = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (i == j)
                    continue;
                double q = 1 / (1 + Sq(y[i][0] - y[j][0]) + Sq(y[i][1] - y[j][1])) / z;
                double pij = p[i * n + j];
                kl += pij * Math.Log(pij / q);
            }
        }
        return kl;
    }

    private static double Sq(double v) => v * v;
}
