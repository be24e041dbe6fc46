namespace RerankKit.Retrieval;

/// <summary>BM25 and dense retrieval fused by <see cref="ReciprocalRankFusion"/>. Each side contributes its
/// <see cref="CandidatesPerRetriever"/> best (at least k).</summary>
public sealed class HybridRetriever(IFirstStageRetriever lexical, IFirstStageRetriever dense) : IFirstStageRetriever
{
    public int CandidatesPerRetriever { get; init; } = 100;

    public int RrfK { get; init; } = ReciprocalRankFusion.DefaultK;

    public string Name => "hybrid";

    public IReadOnlyList<RetrievalHit> Search(string query, int k, CancellationToken cancellationToken = default)
    {
        int depth = Math.Max(k, CandidatesPerRetriever);
        return ReciprocalRankFusion.Fuse([lexical.Search(query, depth, cancellationToken), dense.Search(query, depth, cancellationToken)], k, RrfK);
    }

    public async Task<IReadOnlyList<RetrievalHit>> SearchAsync(string query, int k, CancellationToken cancellationToken = default)
    {
        int depth = Math.Max(k, CandidatesPerRetriever);
        var a = await lexical.SearchAsync(query, depth, cancellationToken).ConfigureAwait(false);
        var b = await dense.SearchAsync(query, depth, cancellationToken).ConfigureAwait(false);
        return ReciprocalRankFusion.Fuse([a, b], k, RrfK);
    }
}
