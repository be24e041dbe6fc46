namespace RerankKit.Training.Data;

/// <summary>A (query, document) pair with a relevance label in [0, 1], as binary cross-entropy trains on.</summary>
public sealed record LabeledPair(string Query, string Document, float Label);
