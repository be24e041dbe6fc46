namespace RerankKit.Explain;

/// <summary>Options of <see cref="PairExplainer"/>.</summary>
public sealed record ExplainOptions
{
    /// <summary>Total tokens including special tokens; null uses the explainer's default.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Integrated-gradients steps (the trapezoid rule evaluates steps + 1 gradients).</summary>
    public int Steps { get; init; } = IntegratedGradients.DefaultSteps;

    public IntegrationRule Rule { get; init; } = IntegrationRule.Trapezoid;

    /// <summary>Token positions whose hidden states the trajectory follows; null picks the most salient.</summary>
    public IReadOnlyList<int>? TrajectoryTokens { get; init; }

    /// <summary>How many of the most salient non-special tokens the trajectory follows when none are given.</summary>
    public int TrajectoryTokenCount { get; init; } = 5;

    /// <summary>How many tokens the "top tokens" lists name.</summary>
    public int TopK { get; init; } = 10;

    /// <summary>Hears each stage's progress as a fraction in [0, 1] (integrated gradients is most of the work).</summary>
    public IProgress<(string Stage, double Fraction)>? Progress { get; init; }
}
