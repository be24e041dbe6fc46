namespace RerankKit.Retrieval;

/// <summary>First stage by BM25 over a <see cref="Bm25Index"/>.</summary>
public sealed class Bm25Retriever : IFirstStageRetriever, IDisposable
{
    private readonly EnglishTextAnalyzer _analyzer = new();

    public Bm25Retriever(Bm25Index index)
    {
        Index = index;
    }

    public string Name => "bm25";

    public Bm25Index Index { get; }

    public IReadOnlyList<RetrievalHit> Search(string query, int k, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        cancellationToken.ThrowIfCancellationRequested();
        return Index.Search(_analyzer.Analyze(query), k);
    }

    public Task<IReadOnlyList<RetrievalHit>> SearchAsync(string query, int k, CancellationToken cancellationToken = default) =>
        Task.FromResult(Search(query, k, cancellationToken));

    public void Dispose() => _analyzer.Dispose();
}
