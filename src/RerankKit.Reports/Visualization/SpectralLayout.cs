using RerankKit.Numerics;

namespace RerankKit.Visualization;

/// <summary>UMAP's spectral initialisation: per connected component, the two eigenvectors of the normalised
/// Laplacian after the trivial one, by block power iteration on (I + D^-1/2 W D^-1/2) / 2 (a sparse graph
/// of a few thousand nodes needs no dense eigensolver). Components are placed at the principal-component
/// projection of their centroids, then the whole layout is scaled to |coordinate| &lt;= 10 with 1e-4 noise.</summary>
internal static class SpectralLayout
{
    private const int Iterations = 300;

    public static double[][] Compute(SparseRows graph, double[][] x, Random rng)
    {
        int n = graph.RowCount;
        var components = Components(graph);
        var y = new double[n][];
        double[][] centers;
        double radius;
        if (components.Count == 1)
        {
            centers = [[0.0, 0.0]];
            radius = 1;
        }
        else
        {
            var centroids = components.Select(c => Centroid(x, c)).ToArray();
            centers = PointSet.PrincipalComponents(centroids.Select(r => r.Select(v => v).ToArray()).ToArray(), 2, rng.Next());
            double scale = centers.Max(c => Math.Max(Math.Abs(c[0]), Math.Abs(c[1])));
            centers = centers.Select(c => new[] { c[0] / Math.Max(scale, 1e-12), c[1] / Math.Max(scale, 1e-12) }).ToArray();
            double closest = double.MaxValue;
            for (int i = 0; i < centers.Length; i++)
                for (int j = i + 1; j < centers.Length; j++)
                    closest = Math.Min(closest, Math.Sqrt(Square(centers[i][0] - centers[j][0]) + Square(centers[i][1] - centers[j][1])));
            radius = closest > 1e-9 ? 0.4 * closest : 0.1;
        }
        for (int c = 0; c < components.Count; c++)
        {
            var local = components[c].Count > 3 ? Eigenvectors(graph, components[c], rng) : components[c].Select(_ => new[] { rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1 }).ToArray();
            double scale = local.Max(r => Math.Max(Math.Abs(r[0]), Math.Abs(r[1])));
            for (int m = 0; m < local.Length; m++)
            {
                double f = scale > 0 ? radius / scale : 0;
                y[components[c][m]] = [centers[c][0] + local[m][0] * f, centers[c][1] + local[m][1] * f];
            }
        }
        double expansion = 10 / Math.Max(y.Max(r => Math.Max(Math.Abs(r[0]), Math.Abs(r[1]))), 1e-12);
        foreach (var r in y)
        {
            r[0] = r[0] * expansion + 1e-4 * StandardNormal.Sample(rng);
            r[1] = r[1] * expansion + 1e-4 * StandardNormal.Sample(rng);
        }
        return y;
    }

    private static double Square(double v) => v * v;

    private static double[] Centroid(double[][] x, List<int> members)
    {
        var c = new double[x[0].Length];
        foreach (int i in members)
            for (int d = 0; d < c.Length; d++)
                c[d] += x[i][d] / members.Count;
        return c;
    }

    private static List<List<int>> Components(SparseRows graph)
    {
        int n = graph.RowCount;
        var label = Enumerable.Repeat(-1, n).ToArray();
        var result = new List<List<int>>();
        for (int s = 0; s < n; s++)
        {
            if (label[s] >= 0)
                continue;
            var members = new List<int> { s };
            label[s] = result.Count;
            for (int h = 0; h < members.Count; h++)
            {
                int i = members[h];
                for (int e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
                {
                    int j = graph.Columns[e];
                    if (label[j] < 0)
                    {
                        label[j] = result.Count;
                        members.Add(j);
                    }
                }
            }
            result.Add(members);
        }
        return result;
    }

    private static double[][] Eigenvectors(SparseRows graph, List<int> members, Random rng)
    {
        int m = members.Count;
        var local = new Dictionary<int, int>();
        for (int i = 0; i < m; i++)
            local[members[i]] = i;
        var degree = new double[m];
        for (int i = 0; i < m; i++)
            for (int e = graph.RowStart[members[i]]; e < graph.RowStart[members[i] + 1]; e++)
                degree[i] += graph.Values[e];
        var invSqrt = degree.Select(d => d > 0 ? 1 / Math.Sqrt(d) : 0).ToArray();
        var trivial = degree.Select(Math.Sqrt).ToArray();
        Normalize(trivial);
        // Rows of D^-1/2 W D^-1/2 restricted to the component, in local indices.
        var columns = new int[m][];
        var weights = new double[m][];
        for (int i = 0; i < m; i++)
        {
            int start = graph.RowStart[members[i]], end = graph.RowStart[members[i] + 1];
            columns[i] = new int[end - start];
            weights[i] = new double[end - start];
            for (int e = start; e < end; e++)
            {
                int j = local[graph.Columns[e]];
                columns[i][e - start] = j;
                weights[i][e - start] = invSqrt[i] * graph.Values[e] * invSqrt[j];
            }
        }
        var vectors = new[] { RandomVector(m, rng), RandomVector(m, rng) };
        for (int iter = 0; iter < Iterations; iter++)
        {
            for (int v = 0; v < 2; v++)
            {
                var current = vectors[v];
                var next = new double[m];
                for (int i = 0; i < m; i++)
                {
                    double s = 0;
                    for (int e = 0; e < columns[i].Length; e++)
                        s += weights[i][e] * current[columns[i][e]];
                    next[i] = 0.5 * (current[i] + s);
                }
                vectors[v] = next;
            }
            Orthonormalize(vectors, trivial);
        }
        return Enumerable.Range(0, m).Select(i => new[] { vectors[0][i], vectors[1][i] }).ToArray();
    }

    private static double[] RandomVector(int m, Random rng) => Enumerable.Range(0, m).Select(_ => rng.NextDouble() - 0.5).ToArray();

    private static void Orthonormalize(double[][] vectors, double[] trivial)
    {
        for (int v = 0; v < vectors.Length; v++)
        {
            Remove(vectors[v], trivial);
            for (int u = 0; u < v; u++)
                Remove(vectors[v], vectors[u]);
            Normalize(vectors[v]);
        }
    }

    private static void Remove(double[] v, double[] unit)
    {
        double dot = 0;
        for (int i = 0; i < v.Length; i++)
            dot += v[i] * unit[i];
        for (int i = 0; i < v.Length; i++)
            v[i] -= dot * unit[i];
    }

    private static void Normalize(double[] v)
    {
        double norm = Math.Sqrt(v.Sum(t => t * t));
        if (norm > 0)
            for (int i = 0; i < v.Length; i++)
                v[i] /= norm;
    }
}
