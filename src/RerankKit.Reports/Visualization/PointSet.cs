using RerankKit.Numerics;
using System.Numerics.Tensors;

namespace RerankKit.Visualization;

/// <summary>Distances and neighbours over a set of points given as rows.</summary>
internal static class PointSet
{
    public static double[][] ToDouble(IReadOnlyList<float[]> points)
    {
        if (points.Count == 0)
            throw new ArgumentException("At least one point is needed.");
        int dim = points[0].Length;
        var rows = new double[points.Count][];
        for (int i = 0; i < points.Count; i++)
        {
            if (points[i].Length != dim)
                throw new ArgumentException($"Point {i} has {points[i].Length} dimensions, expected {dim}.");
            rows[i] = Array.ConvertAll(points[i], v => (double)v);
        }
        return rows;
    }

    public static double[] Norms(double[][] x) => x.Select(r => TensorPrimitives.Dot<double>(r, r)).ToArray();

    /// <summary>Squared Euclidean distances from point <paramref name="i"/> to every point (0 to itself).</summary>
    public static void SquaredDistanceRow(double[][] x, double[] norms, int i, Span<double> row)
    {
        for (int j = 0; j < x.Length; j++)
        {
            double v = j == i ? 0 : norms[i] + norms[j] - 2 * TensorPrimitives.Dot<double>(x[i], x[j]);
            row[j] = v > 0 ? v : 0;
        }
    }

    /// <summary>Full matrix of squared Euclidean distances, row-major n by n (for the exact t-SNE of small sets).</summary>
    public static double[] SquaredDistances(double[][] x)
    {
        int n = x.Length;
        var norms = Norms(x);
        var d = new double[(long)n * n];
        Parallel.For(0, n, i => SquaredDistanceRow(x, norms, i, d.AsSpan(i * n, n)));
        return d;
    }

    /// <summary>Exact k nearest neighbours of every point (itself excluded), nearest first, ties by index.
    /// Brute force, one row at a time so memory stays O(n k): O(n^2 d) time, seconds up to a few thousand points.</summary>
    public static (int[][] Indices, double[][] Distances) NearestNeighbors(double[][] x, int k)
    {
        int n = x.Length;
        if (k >= n)
            throw new ArgumentException($"{k} neighbours need more than {k} points; got {n}.");
        var norms = Norms(x);
        var indices = new int[n][];
        var distances = new double[n][];
        Parallel.For(0, n, () => new double[n], (i, _, row) =>
        {
            SquaredDistanceRow(x, norms, i, row);
            var order = Ranked(row, i);
            indices[i] = order.AsSpan(0, k).ToArray();
            distances[i] = indices[i].Select(j => Math.Sqrt(row[j])).ToArray();
            return row;
        }, _ => { });
        return (indices, distances);
    }

    /// <summary>Every other point ordered by its distance in <paramref name="row"/> (point <paramref name="i"/>'s
    /// row), nearest first, ties by index.</summary>
    public static int[] Ranked(ReadOnlySpan<double> row, int i)
    {
        int n = row.Length;
        var order = new int[n - 1];
        var keys = new double[n - 1];
        for (int j = 0, m = 0; j < n; j++)
        {
            if (j == i)
                continue;
            order[m] = j;
            keys[m++] = row[j];
        }
        // Array.Sort is unstable; the index order is restored for equal keys below.
        Array.Sort(keys, order);
        for (int s = 0; s < order.Length;)
        {
            int e = s + 1;
            while (e < order.Length && keys[e] == keys[s])
                e++;
            if (e - s > 1)
                Array.Sort(order, s, e - s);
            s = e;
        }
        return order;
    }

    /// <summary>Projection on the first <paramref name="components"/> principal axes, by power iteration on
    /// the centred data (no d-by-d covariance is formed, so wide embeddings stay cheap).</summary>
    public static double[][] PrincipalComponents(double[][] x, int components, int seed)
    {
        var pca = Pca.Fit(x, components, seed);
        return x.Select(r => pca.Project(r)).ToArray();
    }
}
