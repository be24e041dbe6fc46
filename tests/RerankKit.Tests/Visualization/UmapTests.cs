using RerankKit.Visualization;

namespace RerankKit.Tests.Visualization;

public class UmapTests
{
    [Fact]
    public void Curve_fit_matches_umap_learns_published_defaults()
    {
        // umap-learn's find_ab_params(spread=1.0, min_dist=0.1) gives a = 1.5769434603113077, b = 0.8950608779109733.
        var (a, b) = UmapCurve.Fit(spread: 1.0, minDist: 0.1);

        Assert.Equal(1.5769434603113077, a, 3);
        Assert.Equal(0.8950608779109733, b, 3);
    }

    [Fact]
    public void Fuzzy_memberships_sum_to_log2_k_and_union_is_symmetric()
    {
        var (points, _) = SyntheticClusters.Generate(60, 3, 6, seed: 4);
        var x = points.Select(p => p.Select(v => (double)v).ToArray()).ToArray();
        var (indices, distances) = PointSet.NearestNeighbors(x, 14);
        var (sigmas, rhos) = FuzzySimplicialSet.SmoothKnnDistances(distances, 15);

        for (int i = 0; i < 60; i++)
        {
            double sum = distances[i].Sum(d => d - rhos[i] > 0 ? Math.Exp(-(d - rhos[i]) / sigmas[i]) : 1);
            Assert.Equal(Math.Log2(15), sum, 4);
        }

        var graph = FuzzySimplicialSet.Build(indices, distances, 15);
        double Directed(int i, int j)
        {
            int m = Array.IndexOf(indices[i], j);
            return m < 0 ? 0 : Math.Exp(-Math.Max(0, distances[i][m] - rhos[i]) / sigmas[i]);
        }
        for (int i = 0; i < 60; i++)
        {
            for (int e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
            {
                int j = graph.Columns[e];
                double a = Directed(i, j), b = Directed(j, i);
                Assert.Equal(a + b - a * b, graph.Values[e], 12);
                int back = Array.IndexOf(graph.Columns, i, graph.RowStart[j], graph.RowStart[j + 1] - graph.RowStart[j]);
                Assert.Equal(graph.Values[e], graph.Values[back], 15);
            }
        }
    }

    [Theory]
    [InlineData(UmapInit.Spectral)]
    [InlineData(UmapInit.Random)]
    public void Keeps_gaussian_clusters_apart_and_neighbourhoods_trustworthy(UmapInit init)
    {
        var (points, labels) = SyntheticClusters.Generate(240, 5, 20, seed: 1);

        var map = new Umap(new UmapOptions { Init = init, NEpochs = 200 }).FitTransform(points);

        Assert.True(ClusterAgreement.NeighborLabelAgreement(map, labels) > 0.99);
        Assert.True(ClusterAgreement.SeparationRatio(map, labels) > 2);
        Assert.True(Trustworthiness.Compute(points, map) > 0.9);
    }

    [Fact]
    public void Same_seed_gives_the_same_map()
    {
        var (points, _) = SyntheticClusters.Generate(100, 3, 8, seed: 2);

        var first = new Umap(new UmapOptions { NEpochs = 100 }).FitTransform(points);
        var second = new Umap(new UmapOptions { NEpochs = 100 }).FitTransform(points);

        Assert.Equal(first.SelectMany(r => r), second.SelectMany(r => r));
    }
}
