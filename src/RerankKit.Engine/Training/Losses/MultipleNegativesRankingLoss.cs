namespace RerankKit.Training.Losses;

/// <summary>sentence-transformers' <c>MultipleNegativesRankingLoss</c>: each anchor must pick its own positive among
/// every positive and every mined negative in the batch, by cross-entropy over scale × cosine similarity.</summary>
public static class MultipleNegativesRankingLoss
{
    public const float DefaultScale = 20f;

    /// <param name="anchors">[batch, dim] anchor (query) embeddings, not necessarily normalised.</param>
    /// <param name="candidates">[candidates, dim]: rows 0..batch-1 are the anchors' positives in order, then any
    /// mined negatives (shared by all anchors as extra in-batch negatives).</param>
    /// <returns>The loss; <c>Gradient</c> is d loss / d anchors followed by d loss / d candidates.</returns>
    public static LossResult Compute(ReadOnlySpan<float> anchors, ReadOnlySpan<float> candidates, int dim, float scale = DefaultScale)
    {
        if (dim <= 0 || anchors.Length % dim != 0 || candidates.Length % dim != 0)
            throw new ArgumentException("embeddings must be [rows, dim]");
        int batch = anchors.Length / dim, count = candidates.Length / dim;
        if (batch == 0 || count < batch)
            throw new ArgumentException("every anchor needs its positive among the candidates");

        var a = Normalize(anchors, dim, out var aNorms);
        var c = Normalize(candidates, dim, out var cNorms);
        var dA = new double[a.Length];
        var dC = new double[c.Length];
        double total = 0;
        var logits = new double[count];
        for (int i = 0; i < batch; i++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < count; j++)
            {
                logits[j] = scale * Dot(a, i, c, j, dim);
                max = Math.Max(max, logits[j]);
            }
            double sumExp = 0;
            for (int j = 0; j < count; j++)
                sumExp += Math.Exp(logits[j] - max);
            double logSumExp = max + Math.Log(sumExp);
            total += logSumExp - logits[i];
            for (int j = 0; j < count; j++)
            {
                double dLogit = (Math.Exp(logits[j] - logSumExp) - (i == j ? 1 : 0)) / batch;
                for (int k = 0; k < dim; k++)
                {
                    dA[i * dim + k] += dLogit * scale * c[j * dim + k];
                    dC[j * dim + k] += dLogit * scale * a[i * dim + k];
                }
            }
        }
        var gradient = new float[anchors.Length + candidates.Length];
        ThroughNormalization(a, dA, aNorms, dim, gradient.AsSpan(0, anchors.Length));
        ThroughNormalization(c, dC, cNorms, dim, gradient.AsSpan(anchors.Length));
        return new LossResult(total / batch, gradient);
    }

    private static double[] Normalize(ReadOnlySpan<float> x, int dim, out double[] norms)
    {
        int rows = x.Length / dim;
        var unit = new double[x.Length];
        norms = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double sq = 0;
            for (int k = 0; k < dim; k++)
                sq += (double)x[r * dim + k] * x[r * dim + k];
            // Same floor as torch.nn.functional.normalize.
            norms[r] = Math.Max(Math.Sqrt(sq), 1e-12);
            for (int k = 0; k < dim; k++)
                unit[r * dim + k] = x[r * dim + k] / norms[r];
        }
        return unit;
    }

    /// <summary>d/dx of g·(x/|x|) = (g - u (u·g)) / |x|.</summary>
    private static void ThroughNormalization(double[] unit, double[] gradUnit, double[] norms, int dim, Span<float> output)
    {
        for (int r = 0; r < norms.Length; r++)
        {
            double dot = 0;
            for (int k = 0; k < dim; k++)
                dot += unit[r * dim + k] * gradUnit[r * dim + k];
            for (int k = 0; k < dim; k++)
                output[r * dim + k] = (float)((gradUnit[r * dim + k] - unit[r * dim + k] * dot) / norms[r]);
        }
    }

    private static double Dot(double[] a, int i, double[] c, int j, int dim)
    {
        double s = 0;
        for (int k = 0; k < dim; k++)
            s += a[i * dim + k] * c[j * dim + k];
        return s;
    }
}
