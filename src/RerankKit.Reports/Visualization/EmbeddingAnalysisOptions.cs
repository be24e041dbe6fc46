namespace RerankKit.Visualization;

/// <summary>Options of <see cref="EmbeddingAnalyzer.Analyze"/>.</summary>
public sealed record EmbeddingAnalysisOptions
{
    /// <summary>Pairs beyond this are subsampled (seeded, file order kept).</summary>
    public int MaxSamples { get; init; } = 500;

    public int BatchSize { get; init; } = 32;

    public bool SkipTsne { get; init; }

    public bool SkipUmap { get; init; }

    public int Seed { get; init; } = 42;
}
