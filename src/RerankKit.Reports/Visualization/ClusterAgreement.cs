namespace RerankKit.Visualization;

/// <summary>Whether labelled clusters stay apart in a 2D map.</summary>
public static class ClusterAgreement
{
    /// <summary>Fraction of each point's k nearest map neighbours that carry its label (1 = clusters never mix).</summary>
    public static double NeighborLabelAgreement(IReadOnlyList<double[]> embedded, IReadOnlyList<int> labels, int k = 5)
    {
        int n = embedded.Count;
        var (indices, _) = PointSet.NearestNeighbors(embedded.Select(r => r.ToArray()).ToArray(), Math.Min(k, n - 1));
        double agree = 0;
        for (int i = 0; i < n; i++)
            agree += indices[i].Count(j => labels[j] == labels[i]) / (double)indices[i].Length;
        return agree / n;
    }

    /// <summary>Smallest distance between two cluster centroids over the largest cluster radius (mean distance
    /// of its points to its centroid); above about 2 the clusters are visibly apart.</summary>
    public static double SeparationRatio(IReadOnlyList<double[]> embedded, IReadOnlyList<int> labels)
    {
        var groups = Enumerable.Range(0, embedded.Count).GroupBy(i => labels[i]).ToArray();
        var centroids = groups.Select(g => new[] { g.Average(i => embedded[i][0]), g.Average(i => embedded[i][1]) }).ToArray();
        double radius = groups.Select((g, c) => g.Average(i => Distance(embedded[i], centroids[c]))).Max();
        double closest = double.MaxValue;
        for (int a = 0; a < centroids.Length; a++)
            for (int b = a + 1; b < centroids.Length; b++)
                closest = Math.Min(closest, Distance(centroids[a], centroids[b]));
        return radius > 0 ? closest / radius : double.PositiveInfinity;
    }

    private static double Distance(double[] p, double[] q) => Math.Sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]));
}
