namespace RerankKit.Retrieval;

/// <summary>A cheap retriever that gathers candidates for a reranker. Hits are best first.</summary>
public interface IFirstStageRetriever
{
    /// <summary>Short name shown in reports: bm25, dense, hybrid.</summary>
    string Name { get; }

    IReadOnlyList<RetrievalHit> Search(string query, int k, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RetrievalHit>> SearchAsync(string query, int k, CancellationToken cancellationToken = default);
}
