using RerankKit.Numerics;

namespace RerankKit.Training.Losses;

/// <summary>Binary cross-entropy on logits (PyTorch <c>BCEWithLogitsLoss</c>, mean reduction) for labeled pairs,
/// as sentence-transformers' <c>BinaryCrossEntropyLoss</c> trains a cross-encoder.</summary>
public static class BinaryCrossEntropyLoss
{
    public static LossResult Compute(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels)
    {
        if (logits.Length != labels.Length || logits.Length == 0)
            throw new ArgumentException("one label per logit, at least one pair");
        int n = logits.Length;
        var gradient = new float[n];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double z = logits[i], y = labels[i];
            // log(1 + e^z) - z y, written to stay finite for large |z|.
            total += Math.Max(z, 0) - z * y + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            gradient[i] = (float)((Logistic.Sigmoid(z) - y) / n);
        }
        return new LossResult(total / n, gradient);
    }
}
