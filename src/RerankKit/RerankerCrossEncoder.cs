namespace RerankKit;

/// <summary>Any <see cref="IReranker"/> where an <see cref="ICrossEncoder"/> is expected (two-stage search,
/// evaluation, the HTTP endpoints): pairs are grouped by query, each group is ranked as one list, and the scores are
/// returned in pair order, with the identity activation (the kind's raw score). A document a duoT5 reranker left
/// unscored (beyond its duo top-k) gets <see cref="float.MinValue"/>, so it sorts last and stays a finite number in JSON.</summary>
/// <remarks>The scores of pairwise and listwise kinds depend on the other documents of the list, so the cache
/// identity says so, and a score cache should not be put in front of them.</remarks>
public sealed class RerankerCrossEncoder(IReranker reranker) : ICrossEncoder
{
    public IReranker Reranker { get; } = reranker;

    public string ModelName => Reranker.ModelName;

    public ScoreActivation DefaultActivation => ScoreActivation.Identity;

    public string CacheIdentity => $"{Reranker.ModelName}|{Reranker.ScoreKind}";

    public float[] Predict(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default) =>
        PredictAsync(pairs, options, cancellationToken).GetAwaiter().GetResult();

    public async Task<float[]> PredictAsync(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default)
    {
        var scores = new float[pairs.Count];
        foreach (var group in Enumerable.Range(0, pairs.Count).GroupBy(i => pairs[i].Query, StringComparer.Ordinal))
        {
            int[] members = group.ToArray();
            var ranked = await Reranker.RankAsync(group.Key, members.Select(i => pairs[i].Document).ToArray(), null, cancellationToken).ConfigureAwait(false);
            foreach (var r in ranked)
                scores[members[r.Index]] = float.IsNaN(r.Score) ? float.MinValue : r.Score;
        }
        return scores;
    }

    /// <summary>The wrapped kind's rule (<see cref="IReranker.RelevanceScores"/>), a <see cref="float.MinValue"/> read
    /// back as the unscored document it stands for.</summary>
    public float[] RelevanceScores(string query, IReadOnlyList<float> logits) =>
        Reranker.RelevanceScores(query, logits.Select(s => s == float.MinValue ? float.NaN : s).ToArray());

    public void Dispose() => Reranker.Dispose();
}
