namespace RerankKit.Visualization;

/// <summary>How far the k nearest neighbours in a 2D map are true neighbours in the input space, as
/// scikit-learn's manifold.trustworthiness defines it (Euclidean distances, ties broken by index):
/// T(k) = 1 - 2 / (n k (2n - 3k - 1)) sum_i sum_{j in map kNN(i)} max(0, r(i, j) - k),
/// with r(i, j) the rank of j among i's input-space neighbours (1 = nearest).</summary>
public static class Trustworthiness
{
    public static double Compute(IReadOnlyList<float[]> input, IReadOnlyList<double[]> embedded, int k = 5)
    {
        int n = input.Count;
        if (embedded.Count != n)
            throw new ArgumentException($"{n} input points but {embedded.Count} embedded points.");
        if (k < 1 || k >= n / 2.0)
            throw new ArgumentException($"k must be at least 1 and below n / 2 = {n / 2.0}; got {k}.");
        var highDistances = PointSet.SquaredDistances(PointSet.ToDouble(input));
        var lowDistances = PointSet.SquaredDistances(embedded.Select(r => r.ToArray()).ToArray());
        var penalties = new double[n];
        Parallel.For(0, n, i =>
        {
            var ranked = PointSet.Ranked(highDistances, n, i);
            var rank = new int[n];
            for (int r = 0; r < ranked.Length; r++)
                rank[ranked[r]] = r + 1;
            var mapNeighbors = PointSet.Ranked(lowDistances, n, i);
            double sum = 0;
            for (int m = 0; m < k; m++)
                sum += Math.Max(0, rank[mapNeighbors[m]] - k);
            penalties[i] = sum;
        });
        return 1 - penalties.Sum() * 2.0 / (n * (double)k * (2.0 * n - 3.0 * k - 1.0));
    }
}
