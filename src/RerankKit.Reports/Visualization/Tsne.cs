using RerankKit.Numerics;

namespace RerankKit.Visualization;

/// <summary>t-SNE to two dimensions as scikit-learn does it: conditional probabilities from a perplexity
/// binary search, PCA initialisation, early exaggeration, momentum and adaptive gains; the exact gradient for
/// small sets and Barnes-Hut (sparse neighbours + quadtree) beyond. Hand-written: no .NET package offers it.</summary>
public sealed class Tsne(TsneOptions? options = null)
{
    private const double MachineEpsilon = 2.220446049250313e-16;

    public TsneOptions Options { get; } = options ?? new TsneOptions();

    /// <summary>True when the last fit used Barnes-Hut rather than the exact gradient.</summary>
    public bool UsedBarnesHut { get; private set; }

    /// <summary>Perplexity used by the last fit (lowered for small sets).</summary>
    public double EffectivePerplexity { get; private set; }

    /// <summary>Two coordinates per input point.</summary>
    public double[][] FitTransform(IReadOnlyList<float[]> points, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var x = PointSet.ToDouble(points);
        int n = x.Length;
        if (n < 4)
            throw new ArgumentException($"t-SNE needs at least 4 points; got {n}.");
        EffectivePerplexity = Math.Min(Options.Perplexity, (n - 1) / 3.0);
        UsedBarnesHut = n > Options.ExactMaxPoints;
        var y = Initial(x);
        if (UsedBarnesHut)
        {
            int k = Math.Min(n - 1, (int)(3 * EffectivePerplexity + 1));
            var (indices, neighborDistances) = PointSet.NearestNeighbors(x, k);
            var p = SparseJointProbabilities(indices, neighborDistances, EffectivePerplexity);
            Optimize(y, (yy, grad, exaggeration) => BarnesHutGradient(p, yy, grad, exaggeration, Options.Angle), progress, cancellationToken);
        }
        else
        {
            var p = JointProbabilities(PointSet.SquaredDistances(x), n, EffectivePerplexity);
            Optimize(y, (yy, grad, exaggeration) => ExactGradient(p, yy, grad, exaggeration), progress, cancellationToken);
        }
        return y;
    }

    private double[][] Initial(double[][] x)
    {
        var y = PointSet.PrincipalComponents(x, 2, Options.Seed);
        double mean = y.Average(r => r[0]);
        double std = Math.Sqrt(y.Average(r => (r[0] - mean) * (r[0] - mean)));
        double scale = std > 0 ? 1e-4 / std : 1;
        if (std == 0)
        {
            var rng = new Random(Options.Seed);
            return y.Select(_ => new[] { 1e-4 * StandardNormal.Sample(rng), 1e-4 * StandardNormal.Sample(rng) }).ToArray();
        }
        return y.Select(r => new[] { r[0] * scale, r[1] * scale }).ToArray();
    }

    private delegate void Gradient(double[][] y, double[][] gradient, double exaggeration);

    private void Optimize(double[][] y, Gradient gradient, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        int n = y.Length;
        double learningRate = Options.LearningRate ?? Math.Max(n / Options.EarlyExaggeration / 4, 50);
        var update = new double[n][];
        var gains = new double[n][];
        var grad = new double[n][];
        for (int i = 0; i < n; i++)
        {
            update[i] = new double[2];
            gains[i] = [1, 1];
            grad[i] = new double[2];
        }
        int total = Math.Max(Options.MaxIterations, Options.ExaggerationIterations);
        for (int iter = 0; iter < total; iter++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool early = iter < Options.ExaggerationIterations;
            double momentum = early ? 0.5 : 0.8;
            gradient(y, grad, early ? Options.EarlyExaggeration : 1);
            for (int i = 0; i < n; i++)
            {
                for (int d = 0; d < 2; d++)
                {
                    bool sameDirection = update[i][d] * grad[i][d] < 0;
                    gains[i][d] = Math.Max(sameDirection ? gains[i][d] + 0.2 : gains[i][d] * 0.8, 0.01);
                    update[i][d] = momentum * update[i][d] - learningRate * gains[i][d] * grad[i][d];
                    y[i][d] += update[i][d];
                }
            }
            if (iter % 25 == 0)
                progress?.Report((double)iter / total);
        }
        progress?.Report(1);
    }

    /// <summary>Row-wise conditional probabilities with the entropy of each row equal to log(perplexity),
    /// found by bisection on the precision beta (scikit-learn's _binary_search_perplexity).</summary>
    internal static double[] ConditionalRow(ReadOnlySpan<double> squaredDistances, double perplexity)
    {
        double target = Math.Log(perplexity);
        double beta = 1, lo = double.NegativeInfinity, hi = double.PositiveInfinity;
        var p = new double[squaredDistances.Length];
        for (int step = 0; step < 100; step++)
        {
            double sum = 0;
            for (int j = 0; j < p.Length; j++)
                sum += p[j] = Math.Exp(-squaredDistances[j] * beta);
            if (sum == 0)
                sum = 1e-8;
            double weighted = 0;
            for (int j = 0; j < p.Length; j++)
            {
                p[j] /= sum;
                weighted += squaredDistances[j] * p[j];
            }
            double entropy = Math.Log(sum) + beta * weighted;
            double diff = entropy - target;
            if (Math.Abs(diff) <= 1e-5)
                break;
            if (diff > 0)
            {
                lo = beta;
                beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2;
            }
            else
            {
                hi = beta;
                beta = double.IsNegativeInfinity(lo) ? beta / 2 : (beta + lo) / 2;
            }
        }
        return p;
    }

    /// <summary>Dense symmetric P = (P_j|i + P_i|j) / sum, row-major.</summary>
    internal static double[] JointProbabilities(double[] squaredDistances, int n, double perplexity)
    {
        var conditional = new double[(long)n * n];
        Parallel.For(0, n, i =>
        {
            var row = new double[n - 1];
            for (int j = 0, m = 0; j < n; j++)
                if (j != i)
                    row[m++] = squaredDistances[(long)i * n + j];
            var p = ConditionalRow(row, perplexity);
            for (int j = 0, m = 0; j < n; j++)
                if (j != i)
                    conditional[(long)i * n + j] = p[m++];
        });
        var joint = new double[(long)n * n];
        double total = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                total += joint[(long)i * n + j] = conditional[(long)i * n + j] + conditional[(long)j * n + i];
        total = Math.Max(total, MachineEpsilon);
        for (long e = 0; e < joint.LongLength; e++)
            joint[e] = Math.Max(joint[e] / total, MachineEpsilon);
        for (int i = 0; i < n; i++)
            joint[(long)i * n + i] = 0;
        return joint;
    }

    /// <summary>Exact gradient of KL(P || Q) with the Student-t kernel: 4 sum_j (p_ij - q_ij) w_ij (y_i - y_j).</summary>
    internal static void ExactGradient(double[] p, double[][] y, double[][] grad, double exaggeration)
    {
        int n = y.Length;
        var w = new double[(long)n * n];
        var rowSums = new double[n];
        Parallel.For(0, n, i =>
        {
            double s = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i)
                    continue;
                double dx = y[i][0] - y[j][0], dy = y[i][1] - y[j][1];
                s += w[(long)i * n + j] = 1 / (1 + dx * dx + dy * dy);
            }
            rowSums[i] = s;
        });
        double z = rowSums.Sum();
        Parallel.For(0, n, i =>
        {
            double gx = 0, gy = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i)
                    continue;
                double wij = w[(long)i * n + j];
                double q = Math.Max(wij / z, MachineEpsilon);
                double coefficient = (exaggeration * p[(long)i * n + j] - q) * wij;
                gx += coefficient * (y[i][0] - y[j][0]);
                gy += coefficient * (y[i][1] - y[j][1]);
            }
            grad[i][0] = 4 * gx;
            grad[i][1] = 4 * gy;
        });
    }

    /// <summary>Symmetric joint probabilities over the k nearest neighbours only, in compressed rows.</summary>
    internal static SparseRows SparseJointProbabilities(int[][] indices, double[][] distances, double perplexity)
    {
        int n = indices.Length;
        var conditional = new double[n][];
        Parallel.For(0, n, i =>
            conditional[i] = ConditionalRow(distances[i].Select(d => d * d).ToArray(), perplexity));
        var entries = new Dictionary<(int, int), double>();
        for (int i = 0; i < n; i++)
        {
            for (int m = 0; m < indices[i].Length; m++)
            {
                int j = indices[i][m];
                double v = conditional[i][m];
                entries[(i, j)] = entries.GetValueOrDefault((i, j)) + v;
                entries[(j, i)] = entries.GetValueOrDefault((j, i)) + v;
            }
        }
        double total = Math.Max(entries.Values.Sum(), MachineEpsilon);
        var rows = new List<(int Column, double Value)>[n];
        for (int i = 0; i < n; i++)
            rows[i] = [];
        foreach (var ((i, j), v) in entries)
            rows[i].Add((j, v / total));
        return SparseRows.From(rows);
    }

    /// <summary>Barnes-Hut gradient: exact attraction over the sparse P, repulsion summarised by a quadtree
    /// (van der Maaten 2014). Per-point normalisers are summed in index order so runs are reproducible.</summary>
    internal static void BarnesHutGradient(SparseRows p, double[][] y, double[][] grad, double exaggeration, double angle)
    {
        int n = y.Length;
        var tree = QuadTree.Build(y);
        var z = new double[n];
        var repulsion = new double[n][];
        Parallel.For(0, n, i =>
        {
            var (fx, fy, zi) = tree.Repulsion(i, y[i][0], y[i][1], angle);
            repulsion[i] = [fx, fy];
            z[i] = zi;
        });
        double total = 0;
        for (int i = 0; i < n; i++)
            total += z[i];
        Parallel.For(0, n, i =>
        {
            double ax = 0, ay = 0;
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
            {
                int j = p.Columns[e];
                double dx = y[i][0] - y[j][0], dy = y[i][1] - y[j][1];
                double coefficient = exaggeration * p.Values[e] / (1 + dx * dx + dy * dy);
                ax += coefficient * dx;
                ay += coefficient * dy;
            }
            grad[i][0] = 4 * (ax - repulsion[i][0] / total);
            grad[i][1] = 4 * (ay - repulsion[i][1] / total);
        });
    }
}
