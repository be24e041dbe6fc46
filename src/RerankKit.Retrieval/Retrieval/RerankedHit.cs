using RerankKit.Documents;

namespace RerankKit.Retrieval;

/// <summary>One result of the two-stage pipeline. <see cref="RankChange"/> is first-stage rank minus final rank:
/// positive means the reranker moved the document up.</summary>
public sealed record RerankedHit
{
    public required int Rank { get; init; }
    public required int Index { get; init; }
    public required Document Document { get; init; }

    /// <summary>The cross-encoder score with the model's activation, plus any domain boost; null without reranking.</summary>
    public float? RerankScore { get; init; }

    /// <summary>The cross-encoder's raw output before any activation or boost; null without reranking.</summary>
    public float? Logit { get; init; }

    /// <summary>The reranker's relevance score of the logit (<see cref="ICrossEncoder.RelevanceScores"/>: a
    /// cross-encoder's sigmoid, P(true) for monoT5, ...), the score the threshold and confidence bands read.</summary>
    public float? CalibratedScore { get; init; }

    public ConfidenceBand? Confidence { get; init; }

    /// <summary>What <see cref="DomainBoost"/> added to <see cref="RerankScore"/>.</summary>
    public float Boost { get; init; }

    public required float FirstStageScore { get; init; }
    public required int FirstStageRank { get; init; }
    public int RankChange => FirstStageRank - Rank;
}
