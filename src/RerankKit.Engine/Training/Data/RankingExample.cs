namespace RerankKit.Training.Data;

/// <summary>A query with one relevant text and any number of hard negatives (a triplet has one, an n-tuple n).</summary>
public sealed record RankingExample(string Query, string Positive, IReadOnlyList<string> Negatives);
