namespace RerankKit.Retrieval;

/// <summary>How sure the reranker is, from its calibrated (sigmoid) score: high &gt;= 0.8, medium &gt;= 0.5, else low.</summary>
public enum ConfidenceBand
{
    Low,
    Medium,
    High,
}

public static class Confidence
{
    public const float High = 0.8f;
    public const float Medium = 0.5f;

    public static ConfidenceBand Of(float calibratedScore) =>
        calibratedScore >= High ? ConfidenceBand.High : calibratedScore >= Medium ? ConfidenceBand.Medium : ConfidenceBand.Low;
}
