using RerankKit.LateInteraction;

namespace RerankKit.Retrieval;

/// <summary>ColBERT as a first stage: the query's token vectors against every document's stored token vectors,
/// exact MaxSim (no PLAID/centroid pruning; a full scan is fine at SciFact scale).</summary>
public sealed class ColBertRetriever(ColBert model, TokenVectorStore store) : IFirstStageRetriever
{
    public string Name => "colbert";

    public IReadOnlyList<RetrievalHit> Search(string query, int k, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var vectors = model.EncodeQueries([query], cancellationToken)[0];
        return TopK.Select(store.MaxSimAll(vectors, cancellationToken), k);
    }

    public Task<IReadOnlyList<RetrievalHit>> SearchAsync(string query, int k, CancellationToken cancellationToken = default) =>
        Task.Run(() => Search(query, k, cancellationToken), cancellationToken);
}
