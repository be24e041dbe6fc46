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
        var high = PointSet.ToDouble(input);
        var low = embedded.Select(r => r.ToArray()).ToArray();
        var (highNorms, lowNorms) = (PointSet.Norms(high), PointSet.Norms(low));
        var penalties = new double[n];
        // Row by row: memory stays O(n) per thread however many points there are.
        Parallel.For(0, n, () => (new double[n], new int[n]), (i, _, buffers) =>
        {
            var (row, rank) = buffers;
            PointSet.SquaredDistanceRow(high, highNorms, i, row);
            var ranked = PointSet.Ranked(row, i);
            for (int r = 0; r < ranked.Length; r++)
                rank[ranked[r]] = r + 1;
            PointSet.SquaredDistanceRow(low, lowNorms, i, row);
            var mapNeighbors = PointSet.Ranked(row, i);
            double sum = 0;
            for (int m = 0; m < k; m++)
                sum += Math.Max(0, rank[mapNeighbors[m]] - k);
            penalties[i] = sum;
            return buffers;
        }, _ => { });
        return 1 - penalties.Sum() * 2.0 / (n * (double)k * (2.0 * n - 3.0 * k - 1.0));
    }
}
