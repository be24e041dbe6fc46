namespace RerankKit.Training.Mining;

/// <summary>A query and the corpus positions of all its known positives (relevance &gt;= 1).</summary>
public sealed record MiningQuery(string Id, string Text, IReadOnlyList<int> Positives);
