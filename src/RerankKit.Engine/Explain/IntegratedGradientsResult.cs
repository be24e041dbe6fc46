namespace RerankKit.Explain;

/// <summary>Integrated-gradients attributions per token and the completeness check: their sum should equal
/// score(input) - score(baseline), up to the integration error.</summary>
public sealed record IntegratedGradientsResult(
    double[] Attributions,
    double InputScore,
    double BaselineScore,
    int Steps,
    IntegrationRule Rule)
{
    public double AttributionSum => Attributions.Sum();

    public double ScoreDelta => InputScore - BaselineScore;

    /// <summary>|sum - delta| / |delta|; infinite when the baseline scores the same as the input but the attributions do not sum to zero.</summary>
    public double CompletenessError
    {
        get
        {
            double gap = Math.Abs(AttributionSum - ScoreDelta);
            return ScoreDelta == 0 ? (gap == 0 ? 0 : double.PositiveInfinity) : gap / Math.Abs(ScoreDelta);
        }
    }
}
