using System.Numerics.Tensors;

namespace RerankKit.LateInteraction;

/// <summary>What a ColBERT score is made of: every query token's similarity to every kept document token, the
/// document token each query token matches best, and the sum of those maxima (the MaxSim score).</summary>
public sealed record MaxSimAlignment(string[] QueryTokens, string[] DocumentTokens, float[,] Similarities, int[] BestMatch, float Score)
{
    public static MaxSimAlignment Of(TokenVectors query, TokenVectors document)
    {
        var similarities = new float[query.Count, document.Count];
        for (int q = 0; q < query.Count; q++)
        {
            for (int d = 0; d < document.Count; d++)
                similarities[q, d] = TensorPrimitives.Dot(query.Row(q), document.Row(d));
        }
        var alignment = MaxSim.Align(query, document);
        return new MaxSimAlignment(query.Tokens, document.Tokens, similarities, alignment.Select(a => a.DocumentToken).ToArray(),
            alignment.Sum(a => a.Similarity));
    }
}
