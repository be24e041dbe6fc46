namespace RerankKit.Retrieval;

/// <summary>Adds <see cref="Weight"/> to a reranked document's score for each distinct domain keyword it contains,
/// so in-domain documents win close calls.</summary>
public sealed record DomainBoost(IReadOnlyList<string> Keywords, float Weight = 0.1f);
