namespace RerankKit.Retrieval;

/// <summary>Reciprocal rank fusion (Cormack et al., 2009): score(d) = sum over rankings of 1 / (k + rank(d)),
/// rank starting at 1. Only ranks matter, so BM25 and cosine scores need no normalization.</summary>
public static class ReciprocalRankFusion
{
    public const int DefaultK = 60;

    public static RetrievalHit[] Fuse(IEnumerable<IReadOnlyList<RetrievalHit>> rankings, int topK, int k = DefaultK)
    {
        var fused = new Dictionary<int, float>();
        foreach (var ranking in rankings)
        {
            for (int r = 0; r < ranking.Count; r++)
                fused[ranking[r].Index] = fused.GetValueOrDefault(ranking[r].Index) + 1f / (k + r + 1);
        }
        return fused.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(topK)
            .Select(p => new RetrievalHit(p.Key, p.Value)).ToArray();
    }
}
