using RerankKit.Numerics;

namespace RerankKit.Visualization;

/// <summary>Gaussian blobs like scikit-learn's make_blobs: centres uniform in [-10, 10]^d, unit standard
/// deviation, points dealt round-robin to clusters. Used by the benchmark and the tests.</summary>
public static class SyntheticClusters
{
    public static (float[][] Points, int[] Labels) Generate(int points, int clusters, int dimensions, int seed)
    {
        if (points < clusters || clusters < 1 || dimensions < 1)
            throw new ArgumentException($"Need points >= clusters >= 1 and dimensions >= 1; got {points}, {clusters}, {dimensions}.");
        var rng = new Random(seed);
        var centers = Enumerable.Range(0, clusters).Select(_ => Enumerable.Range(0, dimensions).Select(_ => rng.NextDouble() * 20 - 10).ToArray()).ToArray();
        var data = new float[points][];
        var labels = new int[points];
        for (int i = 0; i < points; i++)
        {
            labels[i] = i % clusters;
            data[i] = centers[labels[i]].Select(c => (float)(c + StandardNormal.Sample(rng))).ToArray();
        }
        return (data, labels);
    }
}
