namespace RerankKit.Listwise;

/// <summary>The documents in the LLM's order and what it took to get it.</summary>
/// <param name="Ranking">Best first. An LLM gives an order, not scores: <see cref="RankedDocument.Score"/> is the
/// reciprocal rank 1/r (1, 0.5, 0.333, ...), so higher is better as for every other reranker.</param>
public sealed record LlmRerankResult(IReadOnlyList<RankedDocument> Ranking, LlmUsage Usage);
