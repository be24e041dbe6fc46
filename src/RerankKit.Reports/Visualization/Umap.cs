namespace RerankKit.Visualization;

/// <summary>UMAP to two dimensions, following umap-learn: exact k-nearest-neighbour graph (brute force,
/// fine up to a few thousand points), fuzzy simplicial set, a/b curve fit, spectral initialisation and the
/// SGD layout with negative sampling. Hand-written: no .NET UMAP package is available.</summary>
public sealed class Umap(UmapOptions? options = null)
{
    public UmapOptions Options { get; } = options ?? new UmapOptions();

    /// <summary>Two coordinates per input point.</summary>
    public double[][] FitTransform(IReadOnlyList<float[]> points, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var x = PointSet.ToDouble(points);
        int n = x.Length;
        if (n < 3)
            throw new ArgumentException($"UMAP needs at least 3 points; got {n}.");
        int k = Math.Min(Options.NNeighbors, n);
        var (indices, neighborDistances) = PointSet.NearestNeighbors(x, k - 1);
        var graph = FuzzySimplicialSet.Build(indices, neighborDistances, k);
        var (a, b) = UmapCurve.Fit(Options.Spread, Options.MinDist);
        var rng = new Random(Options.Seed);
        var y = Options.Init == UmapInit.Spectral ? SpectralLayout.Compute(graph, x, rng) : RandomLayout(n, rng);
        int epochs = Options.NEpochs ?? (n <= 10_000 ? 500 : 200);
        Optimize(y, graph, a, b, epochs, rng, progress, cancellationToken);
        return y;
    }

    private static double[][] RandomLayout(int n, Random rng) =>
        Enumerable.Range(0, n).Select(_ => new[] { rng.NextDouble() * 20 - 10, rng.NextDouble() * 20 - 10 }).ToArray();

    private void Optimize(double[][] y, SparseRows graph, double a, double b, int epochs, Random rng, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        int n = y.Length;
        NormalizeToBox(y);
        var heads = new List<int>();
        var tails = new List<int>();
        var weights = new List<double>();
        double maxWeight = graph.Values.DefaultIfEmpty(0).Max();
        for (int i = 0; i < n; i++)
        {
            for (int e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
            {
                // umap-learn drops edges too weak to be sampled even once over all epochs.
                if (graph.Values[e] < maxWeight / epochs)
                    continue;
                heads.Add(i);
                tails.Add(graph.Columns[e]);
                weights.Add(graph.Values[e]);
            }
        }
        int edges = heads.Count;
        var epochsPerSample = weights.Select(w => epochs / (epochs * w / maxWeight)).ToArray();
        var epochsPerNegative = epochsPerSample.Select(e => e / Options.NegativeSampleRate).ToArray();
        var nextSample = (double[])epochsPerSample.Clone();
        var nextNegative = (double[])epochsPerNegative.Clone();
        double gamma = Options.RepulsionStrength;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double alpha = Options.LearningRate * (1 - (double)epoch / epochs);
            for (int e = 0; e < edges; e++)
            {
                if (nextSample[e] > epoch)
                    continue;
                var current = y[heads[e]];
                var other = y[tails[e]];
                double dx = current[0] - other[0], dy = current[1] - other[1];
                double d2 = dx * dx + dy * dy;
                if (d2 > 0)
                {
                    double pow = Math.Pow(d2, b);
                    double coefficient = -2 * a * b * pow / d2 / (a * pow + 1);
                    double gx = Clip(coefficient * dx) * alpha, gy = Clip(coefficient * dy) * alpha;
                    current[0] += gx;
                    current[1] += gy;
                    other[0] -= gx;
                    other[1] -= gy;
                }
                nextSample[e] += epochsPerSample[e];
                int negatives = (int)((epoch - nextNegative[e]) / epochsPerNegative[e]);
                for (int s = 0; s < negatives; s++)
                {
                    int target = rng.Next(n);
                    if (target == heads[e])
                        continue;
                    other = y[target];
                    dx = current[0] - other[0];
                    dy = current[1] - other[1];
                    d2 = dx * dx + dy * dy;
                    if (d2 <= 0)
                        continue;
                    double coefficient = 2 * gamma * b / ((0.001 + d2) * (a * Math.Pow(d2, b) + 1));
                    current[0] += Clip(coefficient * dx) * alpha;
                    current[1] += Clip(coefficient * dy) * alpha;
                }
                nextNegative[e] += negatives * epochsPerNegative[e];
            }
            if (epoch % 10 == 0)
                progress?.Report((double)epoch / epochs);
        }
        progress?.Report(1);
    }

    private static double Clip(double v) => v > 4 ? 4 : v < -4 ? -4 : v;

    /// <summary>Each axis scaled to [0, 10] before the layout, as umap-learn does.</summary>
    private static void NormalizeToBox(double[][] y)
    {
        for (int d = 0; d < 2; d++)
        {
            double min = y.Min(r => r[d]), max = y.Max(r => r[d]);
            double range = max - min;
            foreach (var r in y)
                r[d] = range > 0 ? 10 * (r[d] - min) / range : 5;
        }
    }
}
