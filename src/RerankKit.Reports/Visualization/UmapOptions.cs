namespace RerankKit.Visualization;

/// <summary>Options of <see cref="Umap"/>, with umap-learn's defaults and names.</summary>
public sealed record UmapOptions
{
    /// <summary>Neighbourhood size, the point itself included as umap-learn counts it.</summary>
    public int NNeighbors { get; init; } = 15;

    public double MinDist { get; init; } = 0.1;

    public double Spread { get; init; } = 1.0;

    /// <summary>Null: 500 up to 10,000 points, 200 beyond (umap-learn's rule).</summary>
    public int? NEpochs { get; init; }

    public double LearningRate { get; init; } = 1.0;

    public int NegativeSampleRate { get; init; } = 5;

    public double RepulsionStrength { get; init; } = 1.0;

    public UmapInit Init { get; init; } = UmapInit.Spectral;

    public int Seed { get; init; } = 42;
}

public enum UmapInit
{
    /// <summary>Eigenvectors of the normalised graph Laplacian, per connected component.</summary>
    Spectral,

    /// <summary>Uniform in [-10, 10]^2.</summary>
    Random,
}
