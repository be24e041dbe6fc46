namespace RerankKit.Retrieval;

/// <summary>Switches of the two-stage pipeline. All are off by default.</summary>
public sealed record TwoStageOptions
{
    /// <summary>Drop reranked results whose calibrated (sigmoid) score is below this, e.g. 0.5 keeps medium and high
    /// confidence only. May return fewer than k results, or none.</summary>
    public float? ScoreThreshold { get; init; }

    public DomainBoost? DomainBoost { get; init; }

    /// <summary>The cheap "speed" mode that scores fewer candidates with the cross-encoder.</summary>
    public JaccardPrefilter? Prefilter { get; init; }

    /// <summary>Keyword routes to other rerankers, tried in order.</summary>
    public IReadOnlyList<RerankerRoute> Routes { get; init; } = [];

    /// <summary>Batch size of the cross-encoder; its activation is taken from the model unless set here.</summary>
    public PredictOptions? PredictOptions { get; init; }
}
