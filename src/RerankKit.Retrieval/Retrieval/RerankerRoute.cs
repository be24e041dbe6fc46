namespace RerankKit.Retrieval;

/// <summary>Sends queries that mention one of <see cref="Keywords"/> to a specialised reranker, for example a medical
/// or a compliance model; the first matching route wins, other queries use the default reranker.</summary>
public sealed record RerankerRoute(string Name, IReadOnlyList<string> Keywords, ICrossEncoder Reranker);
