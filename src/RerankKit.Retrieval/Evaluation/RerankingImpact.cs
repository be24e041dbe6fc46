namespace RerankKit.Evaluation;

/// <summary>How much the reranker changed the first stage's order, over the final top-k of every query, and what
/// each stage cost. A rank change is first-stage rank minus final rank (positive = moved up).</summary>
public sealed record RerankingImpact(
    double MeanAbsoluteRankChange,
    int MaxAbsoluteRankChange,
    double PercentMovedUp,
    double PercentMovedDown,
    double PercentUnchanged,
    double Top1ChangeRate,
    double MeanStage1Milliseconds,
    double MeanStage2Milliseconds);
