namespace RerankKit.Visualization;

/// <summary>A 2D map of the queries (rows 0..n-1) followed by their positives (rows n..2n-1).</summary>
/// <param name="Method">"tsne" or "umap".</param>
/// <param name="Trustworthiness">k = 5, or NaN when there are too few points (11 or more are needed).</param>
/// <param name="Details">How the map was made, for the report.</param>
public sealed record Projection(string Method, double[][] Coordinates, double Trustworthiness, string Details)
{
    public string Title => Method == "tsne" ? "t-SNE" : "UMAP";
}

/// <summary>Everything the views and files of one model are drawn from.</summary>
public sealed record EmbeddingAnalysis
{
    public required string ModelName { get; init; }

    /// <summary>Short name for plot titles: a model folder's own name, else the name as given (a hub id).</summary>
    public string DisplayName => Directory.Exists(ModelName) ? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(ModelName))) : ModelName;

    public required IReadOnlyList<QueryPositivePair> Pairs { get; init; }

    public required SimilarityStatistics Statistics { get; init; }

    public required DeploymentChecklist Checklist { get; init; }

    public required IReadOnlyList<Projection> Projections { get; init; }
}
