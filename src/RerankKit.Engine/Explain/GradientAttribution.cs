namespace RerankKit.Explain;

/// <summary>Per-token attributions read off d score / d word embedding, defined as the golden fixtures define them.</summary>
public static class GradientAttribution
{
    /// <summary>Sum over the hidden dimension of |gradient|, one value per token.</summary>
    public static double[] Saliency(ReadOnlySpan<float> embeddingGradient, int hiddenSize)
    {
        int t = Tokens(embeddingGradient.Length, hiddenSize);
        var result = new double[t];
        for (int i = 0; i < t; i++)
        {
            double sum = 0;
            foreach (float g in embeddingGradient.Slice(i * hiddenSize, hiddenSize))
                sum += Math.Abs(g);
            result[i] = sum;
        }
        return result;
    }

    /// <summary>Sum over the hidden dimension of gradient x word embedding, one signed value per token.</summary>
    public static double[] GradientTimesInput(ReadOnlySpan<float> embeddingGradient, ReadOnlySpan<float> wordEmbeddings, int hiddenSize)
    {
        if (wordEmbeddings.Length != embeddingGradient.Length)
            throw new ArgumentException($"Gradient ({embeddingGradient.Length}) and embeddings ({wordEmbeddings.Length}) differ in size.");
        int t = Tokens(embeddingGradient.Length, hiddenSize);
        var result = new double[t];
        for (int i = 0; i < t; i++)
        {
            double sum = 0;
            for (int h = 0; h < hiddenSize; h++)
                sum += (double)embeddingGradient[i * hiddenSize + h] * wordEmbeddings[i * hiddenSize + h];
            result[i] = sum;
        }
        return result;
    }

    private static int Tokens(int length, int hiddenSize)
    {
        if (hiddenSize <= 0 || length % hiddenSize != 0)
            throw new ArgumentException($"{length} values are not a whole number of rows of {hiddenSize}.");
        return length / hiddenSize;
    }
}
