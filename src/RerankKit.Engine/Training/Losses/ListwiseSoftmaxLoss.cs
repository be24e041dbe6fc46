namespace RerankKit.Training.Losses;

/// <summary>Softmax cross-entropy over each query's candidate list (ListNet with a label-normalised target):
/// the target distribution is the labels divided by their sum, so one positive gives the usual
/// cross-entropy with that positive as the class. Mean over queries.</summary>
public static class ListwiseSoftmaxLoss
{
    /// <param name="scores">[queries, candidates] row-major.</param>
    /// <param name="labels">Same layout; non-negative relevance, at least one positive per query.</param>
    public static LossResult Compute(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, int candidatesPerQuery)
    {
        if (candidatesPerQuery <= 0 || scores.Length != labels.Length || scores.Length % candidatesPerQuery != 0 || scores.Length == 0)
            throw new ArgumentException("scores and labels must both be [queries, candidates]");
        int queries = scores.Length / candidatesPerQuery;
        var gradient = new float[scores.Length];
        double total = 0;
        for (int q = 0; q < queries; q++)
        {
            var s = scores.Slice(q * candidatesPerQuery, candidatesPerQuery);
            var y = labels.Slice(q * candidatesPerQuery, candidatesPerQuery);
            double labelSum = 0;
            foreach (float v in y)
                labelSum += v < 0 ? throw new ArgumentException("labels must be non-negative") : v;
            if (labelSum <= 0)
                throw new ArgumentException($"query {q} has no positive candidate");
            double max = double.NegativeInfinity;
            foreach (float v in s)
                max = Math.Max(max, v);
            double sumExp = 0;
            foreach (float v in s)
                sumExp += Math.Exp(v - max);
            double logSumExp = max + Math.Log(sumExp);
            for (int i = 0; i < candidatesPerQuery; i++)
            {
                double target = y[i] / labelSum;
                double logProb = s[i] - logSumExp;
                total -= target * logProb;
                gradient[q * candidatesPerQuery + i] = (float)((Math.Exp(logProb) - target) / queries);
            }
        }
        return new LossResult(total / queries, gradient);
    }
}
