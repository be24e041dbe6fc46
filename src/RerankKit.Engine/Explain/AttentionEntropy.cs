namespace RerankKit.Explain;

/// <summary>How spread out each head's attention is: the mean over query positions of the Shannon entropy (nats)
/// of its attention row. Near 0 means each token looks at one place; ln(T) means uniform.</summary>
public static class AttentionEntropy
{
    /// <summary>[layers][heads] mean row entropy.</summary>
    public static double[][] PerHead(IReadOnlyList<float[]> attentions, int numHeads, int sequenceLength)
    {
        int t = sequenceLength;
        var result = new double[attentions.Count][];
        for (int l = 0; l < attentions.Count; l++)
        {
            result[l] = new double[numHeads];
            for (int h = 0; h < numHeads; h++)
            {
                double total = 0;
                for (int i = 0; i < t; i++)
                {
                    double entropy = 0;
                    foreach (float p in attentions[l].AsSpan((h * t + i) * t, t))
                        if (p > 0)
                            entropy -= p * Math.Log(p);
                    total += entropy;
                }
                result[l][h] = total / t;
            }
        }
        return result;
    }
}
