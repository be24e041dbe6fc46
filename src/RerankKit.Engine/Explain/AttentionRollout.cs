namespace RerankKit.Explain;

/// <summary>Attention rollout (Abnar and Zuidema, 2020): each layer's heads averaged, the identity added for the
/// residual connection, rows renormalised, and the layers multiplied from the first to the last.</summary>
public static class AttentionRollout
{
    /// <summary>The rolled-out [T, T] matrix; row i says how much each input token flows into position i at the top.</summary>
    public static double[] Matrix(IReadOnlyList<float[]> attentions, int numHeads, int sequenceLength)
    {
        int t = sequenceLength;
        var rollout = new double[t * t];
        for (int i = 0; i < t; i++)
            rollout[i * t + i] = 1;
        var layer = new double[t * t];
        var product = new double[t * t];
        foreach (var attention in attentions)
        {
            if (attention.Length != numHeads * t * t)
                throw new ArgumentException($"An attention layer has {attention.Length} values, expected {numHeads} x {t} x {t}.");
            Array.Clear(layer);
            for (int h = 0; h < numHeads; h++)
                for (int k = 0; k < t * t; k++)
                    layer[k] += attention[h * t * t + k];
            for (int i = 0; i < t; i++)
            {
                double rowSum = 0;
                for (int j = 0; j < t; j++)
                {
                    double v = layer[i * t + j] / numHeads + (i == j ? 1 : 0);
                    layer[i * t + j] = v;
                    rowSum += v;
                }
                for (int j = 0; j < t; j++)
                    layer[i * t + j] /= rowSum;
            }
            // Later layers act on the output of earlier ones: rollout_l = A_l * rollout_(l-1).
            Array.Clear(product);
            for (int i = 0; i < t; i++)
                for (int k = 0; k < t; k++)
                {
                    double a = layer[i * t + k];
                    if (a == 0) continue;
                    for (int j = 0; j < t; j++)
                        product[i * t + j] += a * rollout[k * t + j];
                }
            (rollout, product) = (product, rollout);
        }
        return rollout;
    }

    /// <summary>The rollout row of position <paramref name="from"/> (default 0, the [CLS] or &lt;s&gt; token the
    /// classifier reads): one value per input token, summing to one.</summary>
    public static double[] FromToken(IReadOnlyList<float[]> attentions, int numHeads, int sequenceLength, int from = 0)
    {
        var matrix = Matrix(attentions, numHeads, sequenceLength);
        return matrix.AsSpan(from * sequenceLength, sequenceLength).ToArray();
    }
}
