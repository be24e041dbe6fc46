namespace RerankKit.Visualization;

/// <summary>A query and the document that answers it.</summary>
public sealed record QueryPositivePair(string Query, string Positive);
