namespace RerankKit.Explain;

/// <summary>Two principal components fitted once on the hidden states of the chosen tokens at every layer, so that
/// positions in different layers are comparable in one 2D picture.</summary>
public sealed class TrajectoryPca
{
    private TrajectoryPca(double[] mean, double[] axis1, double[] axis2, double explained1, double explained2)
    {
        Mean = mean;
        Axis1 = axis1;
        Axis2 = axis2;
        ExplainedVariance1 = explained1;
        ExplainedVariance2 = explained2;
    }

    public double[] Mean { get; }
    public double[] Axis1 { get; }
    public double[] Axis2 { get; }

    /// <summary>Share of the total variance along each axis, in [0, 1].</summary>
    public double ExplainedVariance1 { get; }
    public double ExplainedVariance2 { get; }

    /// <summary>Fits on row vectors of equal length (at least two).</summary>
    public static TrajectoryPca Fit(IReadOnlyList<double[]> points)
    {
        if (points.Count < 2)
            throw new ArgumentException("PCA needs at least two points.");
        int n = points.Count, d = points[0].Length;
        var mean = new double[d];
        foreach (var p in points)
            for (int j = 0; j < d; j++)
                mean[j] += p[j] / n;
        var centred = points.Select(p => p.Select((v, j) => v - mean[j]).ToArray()).ToArray();
        // The Gram matrix is n x n with n = tokens x layers (tens), far smaller than the d x d covariance.
        var gram = new double[n, n];
        for (int a = 0; a < n; a++)
            for (int b = a; b < n; b++)
            {
                double dot = 0;
                for (int j = 0; j < d; j++)
                    dot += centred[a][j] * centred[b][j];
                gram[a, b] = gram[b, a] = dot;
            }
        var (values, vectors) = SymmetricEigen.Decompose(gram);
        double total = values.Where(v => v > 0).Sum();
        var axes = new double[2][];
        for (int c = 0; c < 2; c++)
        {
            var axis = new double[d];
            double sigma = Math.Sqrt(Math.Max(values[c], 0));
            if (sigma > 1e-12)
                for (int a = 0; a < n; a++)
                    for (int j = 0; j < d; j++)
                        axis[j] += vectors[a, c] * centred[a][j] / sigma;
            // A component's sign is arbitrary; fixing it keeps pictures of the same model stable between runs.
            int largest = 0;
            for (int j = 1; j < d; j++)
                if (Math.Abs(axis[j]) > Math.Abs(axis[largest])) largest = j;
            if (axis[largest] < 0)
                for (int j = 0; j < d; j++) axis[j] = -axis[j];
            axes[c] = axis;
        }
        return new TrajectoryPca(mean, axes[0], axes[1],
            total > 0 ? Math.Max(values[0], 0) / total : 0,
            total > 0 ? Math.Max(values[1], 0) / total : 0);
    }

    public (double X, double Y) Project(ReadOnlySpan<double> point)
    {
        double x = 0, y = 0;
        for (int j = 0; j < Mean.Length; j++)
        {
            double c = point[j] - Mean[j];
            x += c * Axis1[j];
            y += c * Axis2[j];
        }
        return (x, y);
    }
}
