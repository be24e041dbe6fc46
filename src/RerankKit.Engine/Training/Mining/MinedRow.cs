namespace RerankKit.Training.Mining;

/// <summary>One (query, positive) row with the negatives mined for it, best first, and first-stage scores.</summary>
public sealed record MinedRow(MiningQuery Query, int Positive, float PositiveScore, IReadOnlyList<(int Document, float Score)> Negatives);
