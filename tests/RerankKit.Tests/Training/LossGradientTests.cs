using RerankKit.Training;
using RerankKit.Training.Losses;

namespace RerankKit.Tests.Training;

public sealed class LossGradientTests
{
    [Fact]
    public void BinaryCrossEntropyMatchesHandComputedValue()
    {
        // -(log σ(2)) and -(log(1 - σ(-1))) averaged: softplus(-2) and softplus(-1).
        var result = BinaryCrossEntropyLoss.Compute([2f, -1f], [1f, 0f]);
        double expected = (Math.Log(1 + Math.Exp(-2)) + Math.Log(1 + Math.Exp(-1))) / 2;
        Assert.Equal(expected, result.Loss, 9);
        Assert.Equal((1 / (1 + Math.Exp(-2)) - 1) / 2, result.Gradient[0], 6);
        Assert.Equal(1 / (1 + Math.Exp(1)) / 2, result.Gradient[1], 6);
        Assert.True(double.IsFinite(BinaryCrossEntropyLoss.Compute([200f, -200f], [0f, 1f]).Loss));
    }

    [Fact]
    public void BinaryCrossEntropyGradientMatchesFiniteDifferences()
    {
        float[] logits = [0.3f, -1.2f, 2.5f, 0.01f];
        float[] labels = [1f, 0f, 0f, 1f];
        var analytic = BinaryCrossEntropyLoss.Compute(logits, labels).Gradient;
        AssertFiniteDifferences(logits, x => BinaryCrossEntropyLoss.Compute(x, labels).Loss, analytic);
    }

    [Fact]
    public void BinaryCrossEntropyWithPosWeightScalesOnlyThePositiveTerm()
    {
        // PyTorch BCEWithLogitsLoss(pos_weight=5): -(5·log σ(0.5)) for the positive, -log(1 - σ(1)) for the negative.
        var result = BinaryCrossEntropyLoss.Compute([0.5f, 1f], [1f, 0f], posWeight: 5);
        double expected = (5 * Math.Log(1 + Math.Exp(-0.5)) + Math.Log(1 + Math.Exp(1))) / 2;
        Assert.Equal(expected, result.Loss, 9);
        float[] logits = [0.3f, -1.2f, 2.5f, 0.01f];
        float[] labels = [1f, 0f, 0.25f, 1f];
        var analytic = BinaryCrossEntropyLoss.Compute(logits, labels, posWeight: 3).Gradient;
        AssertFiniteDifferences(logits, x => BinaryCrossEntropyLoss.Compute(x, labels, posWeight: 3).Loss, analytic);
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryCrossEntropyLoss.Compute([0f], [1f], posWeight: 0));
    }

    [Fact]
    public void ListwiseLossWithOnePositiveIsCrossEntropyOfItsSoftmax()
    {
        float[] scores = [1f, 2f, 0f];
        var result = ListwiseSoftmaxLoss.Compute(scores, [0f, 1f, 0f], 3);
        double logSumExp = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(0));
        Assert.Equal(logSumExp - 2, result.Loss, 9);
        // Gradients of a softmax cross-entropy sum to zero for each query.
        Assert.Equal(0, result.Gradient.Sum(), 6);
    }

    [Fact]
    public void ListwiseGradientMatchesFiniteDifferences()
    {
        float[] scores = [0.5f, -0.2f, 1.1f, 0.0f, 2.0f, -1.0f, 0.3f, 0.7f];
        float[] labels = [1f, 0f, 0f, 0f, 0f, 1f, 1f, 0f];
        var analytic = ListwiseSoftmaxLoss.Compute(scores, labels, 4).Gradient;
        AssertFiniteDifferences(scores, x => ListwiseSoftmaxLoss.Compute(x, labels, 4).Loss, analytic);
    }

    [Fact]
    public void MultipleNegativesRankingLossMatchesHandComputedCase()
    {
        // Orthogonal unit vectors: anchor i equals positive i, so its logit is 20 and all others 0.
        float[] anchors = [1f, 0f, 0f, 1f];
        float[] candidates = [1f, 0f, 0f, 1f, -1f, 0f];
        var result = MultipleNegativesRankingLoss.Compute(anchors, candidates, 2);
        double perAnchor0 = Math.Log(Math.Exp(20) + 1 + Math.Exp(-20)) - 20;
        double perAnchor1 = Math.Log(1 + Math.Exp(20) + 1) - 20;
        Assert.Equal((perAnchor0 + perAnchor1) / 2, result.Loss, 9);
    }

    [Fact]
    public void MultipleNegativesRankingGradientMatchesFiniteDifferences()
    {
        var rng = new SeededRandom(7);
        int dim = 5, batch = 3, negatives = 2;
        var all = Enumerable.Range(0, (2 * batch + negatives) * dim).Select(_ => (float)rng.NextGaussian()).ToArray();
        float Loss(float[] x) => (float)MultipleNegativesRankingLoss.Compute(x.AsSpan(0, batch * dim), x.AsSpan(batch * dim), dim, 2f).Loss;
        var analytic = MultipleNegativesRankingLoss.Compute(all.AsSpan(0, batch * dim), all.AsSpan(batch * dim), dim, 2f).Gradient;
        AssertFiniteDifferences(all, x => MultipleNegativesRankingLoss.Compute(x.AsSpan(0, batch * dim), x.AsSpan(batch * dim), dim, 2f).Loss, analytic);
        Assert.True(Loss(all) > 0);
    }

    private static void AssertFiniteDifferences(float[] x, Func<float[], double> loss, float[] analytic)
    {
        const float h = 1e-2f;
        double largest = analytic.Max(g => Math.Abs(g));
        Assert.True(largest > 0);
        for (int i = 0; i < x.Length; i++)
        {
            var plus = (float[])x.Clone();
            var minus = (float[])x.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (loss(plus) - loss(minus)) / (plus[i] - minus[i]);
            Assert.True(Math.Abs(numeric - analytic[i]) <= 1e-3 * Math.Max(1, largest),
                $"component {i}: analytic {analytic[i]} vs numeric {numeric}");
        }
    }
}
