using System.Collections;

namespace RerankKit.Retrieval;

/// <summary>The final hits of one search with the time each stage took, which reranker ran and the full candidate
/// list the first stage produced.</summary>
public sealed record TwoStageResult(
    IReadOnlyList<RerankedHit> Hits,
    IReadOnlyList<RetrievalHit> Candidates,
    double Stage1Milliseconds,
    double Stage2Milliseconds,
    string? Reranker,
    int CandidatesReranked) : IReadOnlyList<RerankedHit>
{
    public double TotalMilliseconds => Stage1Milliseconds + Stage2Milliseconds;

    public RerankedHit this[int index] => Hits[index];

    public int Count => Hits.Count;

    public IEnumerator<RerankedHit> GetEnumerator() => Hits.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
