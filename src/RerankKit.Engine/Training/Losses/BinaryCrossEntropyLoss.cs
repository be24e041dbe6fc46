using RerankKit.Numerics;

namespace RerankKit.Training.Losses;

/// <summary>Binary cross-entropy on logits (PyTorch <c>BCEWithLogitsLoss</c>, mean reduction) for labeled pairs,
/// as sentence-transformers' <c>BinaryCrossEntropyLoss</c> trains a cross-encoder. The optional posWeight is
/// PyTorch's <c>pos_weight</c>: the positive term's weight, which sentence-transformers sets to the number of
/// negatives per positive so that mined negatives do not outweigh the positives.</summary>
public static class BinaryCrossEntropyLoss
{
    public static LossResult Compute(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, double posWeight = 1)
    {
        if (logits.Length != labels.Length || logits.Length == 0)
            throw new ArgumentException("one label per logit, at least one pair");
        if (!(posWeight > 0))
            throw new ArgumentOutOfRangeException(nameof(posWeight), posWeight, "pos_weight must be positive");
        int n = logits.Length;
        var gradient = new float[n];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double z = logits[i], y = labels[i];
            // posWeight·y·softplus(-z) + (1 - y)·softplus(z), each softplus written to stay finite for large |z|.
            double tail = Math.Log(1 + Math.Exp(-Math.Abs(z)));
            total += posWeight * y * (Math.Max(-z, 0) + tail) + (1 - y) * (Math.Max(z, 0) + tail);
            double s = Logistic.Sigmoid(z);
            gradient[i] = (float)((-posWeight * y * (1 - s) + (1 - y) * s) / n);
        }
        return new LossResult(total / n, gradient);
    }
}
