using System.Numerics.Tensors;

namespace RerankKit.LateInteraction;

/// <summary>ColBERT's late-interaction score: each query vector's best dot product over the document's vectors,
/// summed (PyLate <c>colbert_scores</c>). The maximum is over the document's real vectors only: PyLate's own
/// <c>rank.rerank</c> pads candidates with zero vectors, which differs only when a best match is negative.</summary>
public static class MaxSim
{
    public static float Score(TokenVectors query, TokenVectors document) => Align(query, document).Sum(a => a.Similarity);

    /// <summary>For each query vector, the document vector it matches best and their dot product: the alignment
    /// that MaxSim sums, shown by <c>explain</c>.</summary>
    public static (int DocumentToken, float Similarity)[] Align(TokenVectors query, TokenVectors document)
    {
        if (query.Dimension != document.Dimension)
            throw new ArgumentException($"query vectors have {query.Dimension} dimensions, document vectors {document.Dimension}");
        if (document.Count == 0)
            throw new ArgumentException("the document has no token vectors to match");
        var result = new (int, float)[query.Count];
        for (int q = 0; q < query.Count; q++)
        {
            var row = query.Row(q);
            int best = 0;
            float max = float.NegativeInfinity;
            for (int d = 0; d < document.Count; d++)
            {
                float dot = TensorPrimitives.Dot(row, document.Row(d));
                if (dot > max)
                {
                    max = dot;
                    best = d;
                }
            }
            result[q] = (best, max);
        }
        return result;
    }
}
