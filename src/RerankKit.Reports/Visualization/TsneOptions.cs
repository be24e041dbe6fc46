namespace RerankKit.Visualization;

/// <summary>Options of <see cref="Tsne"/>, with scikit-learn's defaults and names.</summary>
public sealed record TsneOptions
{
    /// <summary>Effective number of neighbours; lowered to (n - 1) / 3 when there are too few points.</summary>
    public double Perplexity { get; init; } = 30;

    public double EarlyExaggeration { get; init; } = 12;

    /// <summary>Iterations with early exaggeration and momentum 0.5; momentum is 0.8 afterwards.</summary>
    public int ExaggerationIterations { get; init; } = 250;

    public int MaxIterations { get; init; } = 1000;

    /// <summary>Null is scikit-learn's "auto": max(n / early_exaggeration / 4, 50).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Barnes-Hut opening angle.</summary>
    public double Angle { get; init; } = 0.5;

    /// <summary>Up to this many points the exact O(n^2) gradient is used; Barnes-Hut beyond.</summary>
    public int ExactMaxPoints { get; init; } = 500;

    public int Seed { get; init; } = 42;
}
