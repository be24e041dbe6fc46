namespace RerankKit.Visualization;

/// <summary>UMAP's fuzzy simplicial set (umap-learn's fuzzy_simplicial_set with local_connectivity 1):
/// per point rho (distance to the nearest neighbour) and sigma (bisection so that the memberships of the
/// neighbours sum to log2(k)), memberships exp(-(d - rho) / sigma), then the fuzzy union A + A^T - A o A^T.</summary>
internal static class FuzzySimplicialSet
{
    private const double Tolerance = 1e-5;
    private const double MinKDistScale = 1e-3;

    /// <param name="indices">Neighbours of each point, nearest first, the point itself excluded.</param>
    /// <param name="distances">Their (unsquared) distances.</param>
    /// <param name="nNeighbors">k as umap-learn counts it, the point itself included.</param>
    public static SparseRows Build(int[][] indices, double[][] distances, int nNeighbors)
    {
        int n = indices.Length;
        var (sigmas, rhos) = SmoothKnnDistances(distances, nNeighbors);
        var directed = new Dictionary<(int, int), double>();
        for (int i = 0; i < n; i++)
        {
            for (int m = 0; m < indices[i].Length; m++)
            {
                double d = distances[i][m] - rhos[i];
                double v = d <= 0 || sigmas[i] == 0 ? 1 : Math.Exp(-d / sigmas[i]);
                directed[(i, indices[i][m])] = v;
            }
        }
        var rows = new List<(int Column, double Value)>[n];
        for (int i = 0; i < n; i++)
            rows[i] = [];
        var done = new HashSet<(int, int)>();
        foreach (var (i, j) in directed.Keys)
        {
            if (!done.Add((Math.Min(i, j), Math.Max(i, j))))
                continue;
            double v = directed.GetValueOrDefault((i, j));
            double t = directed.GetValueOrDefault((j, i));
            double union = v + t - v * t;
            if (union <= 0)
                continue;
            rows[i].Add((j, union));
            rows[j].Add((i, union));
        }
        return SparseRows.From(rows);
    }

    public static (double[] Sigmas, double[] Rhos) SmoothKnnDistances(double[][] distances, int nNeighbors)
    {
        int n = distances.Length;
        double target = Math.Log2(nNeighbors);
        var sigmas = new double[n];
        var rhos = new double[n];
        double meanAll = distances.Sum(d => d.Sum()) / Math.Max(1, distances.Sum(d => d.Length + 1));
        for (int i = 0; i < n; i++)
        {
            var row = distances[i];
            rhos[i] = row.Where(d => d > 0).DefaultIfEmpty(0).Min();
            double lo = 0, hi = double.PositiveInfinity, mid = 1;
            for (int step = 0; step < 64; step++)
            {
                double sum = 0;
                foreach (double d in row)
                {
                    double excess = d - rhos[i];
                    sum += excess > 0 ? Math.Exp(-excess / mid) : 1;
                }
                if (Math.Abs(sum - target) < Tolerance)
                    break;
                if (sum > target)
                {
                    hi = mid;
                    mid = (lo + hi) / 2;
                }
                else
                {
                    lo = mid;
                    mid = double.IsPositiveInfinity(hi) ? mid * 2 : (lo + hi) / 2;
                }
            }
            // umap-learn counts the point itself (distance 0) in the mean of its neighbour distances.
            double meanRow = row.Sum() / (row.Length + 1);
            double floor = MinKDistScale * (rhos[i] > 0 ? meanRow : meanAll);
            sigmas[i] = Math.Max(mid, floor);
        }
        return (sigmas, rhos);
    }
}
