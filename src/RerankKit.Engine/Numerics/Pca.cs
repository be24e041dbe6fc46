using System.Numerics.Tensors;

namespace RerankKit.Numerics;

/// <summary>Principal component analysis by power iteration with deflation: the leading axes of row vectors, as used
/// by explanation trajectories and by the t-SNE and spectral layouts of embedding views. Power iteration needs only
/// products with the centred data, so it suits both tens of hidden states and thousands of embeddings.</summary>
public sealed class Pca
{
    private Pca(double[] mean, double[][] axes, double[] explainedVariance)
    {
        Mean = mean;
        Axes = axes;
        ExplainedVariance = explainedVariance;
    }

    public double[] Mean { get; }

    /// <summary>Unit axes, largest variance first; each axis's sign makes its largest-magnitude entry positive.</summary>
    public double[][] Axes { get; }

    /// <summary>Share of the total variance along each axis, in [0, 1].</summary>
    public double[] ExplainedVariance { get; }

    /// <summary>Fits <paramref name="components"/> axes on row vectors of equal length (at least two rows).
    /// <paramref name="seed"/> seeds the starting vectors, so a fit is reproducible.</summary>
    public static Pca Fit(IReadOnlyList<double[]> points, int components, int seed = 0)
    {
        if (points.Count < 2)
            throw new ArgumentException("PCA needs at least two points.");
        int n = points.Count, dim = points[0].Length;
        var mean = new double[dim];
        foreach (var row in points)
            TensorPrimitives.Add(mean, row, mean);
        TensorPrimitives.Divide(mean, n, mean);
        var centred = points.Select(r => { var c = new double[dim]; TensorPrimitives.Subtract(r, mean, c); return c; }).ToArray();
        double total = centred.Sum(r => TensorPrimitives.Dot<double>(r, r));
        var rng = new Random(seed);
        var axes = new double[components][];
        var explained = new double[components];
        var scores = new double[n];
        for (int c = 0; c < components; c++)
        {
            var v = Enumerable.Range(0, dim).Select(_ => rng.NextDouble() - 0.5).ToArray();
            for (int iter = 0; iter < 200; iter++)
            {
                var next = new double[dim];
                for (int i = 0; i < n; i++)
                    scores[i] = TensorPrimitives.Dot<double>(centred[i], v);
                for (int i = 0; i < n; i++)
                    TensorPrimitives.MultiplyAdd(centred[i], scores[i], next, next);
                for (int a = 0; a < c; a++)
                    TensorPrimitives.MultiplyAdd(axes[a], -TensorPrimitives.Dot<double>(axes[a], next), next, next);
                double norm = TensorPrimitives.Norm<double>(next);
                if (norm < 1e-300)
                    break;
                TensorPrimitives.Divide(next, norm, next);
                double change = TensorPrimitives.Distance<double>(next, v);
                v = next;
                if (change < 1e-10)
                    break;
            }
            // A principal axis has no sign; fix one so that runs are reproducible.
            int largest = TensorPrimitives.IndexOfMaxMagnitude<double>(v);
            if (v[largest] < 0)
                TensorPrimitives.Negate(v, v);
            axes[c] = v;
            explained[c] = total > 0 ? centred.Sum(r => Math.Pow(TensorPrimitives.Dot<double>(r, v), 2)) / total : 0;
        }
        return new Pca(mean, axes, explained);
    }

    /// <summary>Coordinates of <paramref name="point"/> along each axis.</summary>
    public double[] Project(ReadOnlySpan<double> point)
    {
        var centred = new double[Mean.Length];
        TensorPrimitives.Subtract(point, Mean, centred);
        return Axes.Select(a => TensorPrimitives.Dot<double>(centred, a)).ToArray();
    }
}
