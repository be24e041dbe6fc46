using RerankKit.Tokenization;

namespace RerankKit.Explain;

/// <summary>Integrated gradients (Sundararajan et al., 2017) over the word-embedding inputs. The baseline puts the
/// padding token's word embedding at every non-special position and keeps the special tokens as they are, so
/// the path only removes the content of the query and the document.</summary>
public static class IntegratedGradients
{
    public const int DefaultSteps = 50;

    public static IntegratedGradientsResult Compute(
        IExplainableModel model,
        EncodedInput input,
        IReadOnlyList<bool> isSpecial,
        int padTokenId,
        int steps = DefaultSteps,
        IntegrationRule rule = IntegrationRule.Trapezoid,
        IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (isSpecial.Count != input.Length)
            throw new ArgumentException($"isSpecial has {isSpecial.Count} entries for {input.Length} tokens.");
        int hidden = model.Config.HiddenSize;
        int t = input.Length;
        var inputEmbeddings = model.WordEmbeddings(input.InputIds);
        var baselineIds = input.InputIds.Select((id, i) => isSpecial[i] ? id : padTokenId).ToArray();
        var baselineEmbeddings = model.WordEmbeddings(baselineIds);

        var (alphas, weights) = Nodes(steps, rule);
        var averageGradient = new double[t * hidden];
        var point = new float[t * hidden];
        double inputScore = double.NaN, baselineScore = double.NaN;
        for (int s = 0; s < alphas.Length; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            float alpha = (float)alphas[s];
            for (int k = 0; k < point.Length; k++)
                point[k] = baselineEmbeddings[k] + alpha * (inputEmbeddings[k] - baselineEmbeddings[k]);
            var gradient = model.Gradient(input, point);
            for (int k = 0; k < point.Length; k++)
                averageGradient[k] += weights[s] * gradient.EmbeddingGradient[k];
            if (alphas[s] == 0) baselineScore = gradient.Score;
            if (alphas[s] == 1) inputScore = gradient.Score;
            progress?.Report((s + 1) / (double)alphas.Length);
        }
        if (double.IsNaN(baselineScore))
            baselineScore = model.Forward(input, baselineEmbeddings, keepAll: false).Score;
        if (double.IsNaN(inputScore))
            inputScore = model.Forward(input, inputEmbeddings, keepAll: false).Score;

        var attributions = new double[t];
        for (int i = 0; i < t; i++)
        {
            double sum = 0;
            for (int h = 0; h < hidden; h++)
            {
                int k = i * hidden + h;
                sum += ((double)inputEmbeddings[k] - baselineEmbeddings[k]) * averageGradient[k];
            }
            attributions[i] = sum;
        }
        return new IntegratedGradientsResult(attributions, inputScore, baselineScore, steps, rule);
    }

    /// <summary>Points on the straight path (0 = baseline, 1 = input) and their quadrature weights, which sum to one.</summary>
    internal static (double[] Alphas, double[] Weights) Nodes(int steps, IntegrationRule rule)
    {
        if (rule == IntegrationRule.RiemannMiddle)
        {
            var alphas = Enumerable.Range(0, steps).Select(k => (k + 0.5) / steps).ToArray();
            return (alphas, Enumerable.Repeat(1.0 / steps, steps).ToArray());
        }
        var trapezoidAlphas = Enumerable.Range(0, steps + 1).Select(k => (double)k / steps).ToArray();
        var trapezoidWeights = Enumerable.Range(0, steps + 1).Select(k => (k == 0 || k == steps ? 0.5 : 1.0) / steps).ToArray();
        return (trapezoidAlphas, trapezoidWeights);
    }
}
