namespace RerankKit;

/// <summary>Scores (query, document) pairs jointly. <see cref="CrossEncoder"/> is the implementation; tests and
/// pipelines may substitute their own.</summary>
public interface ICrossEncoder : IDisposable
{
    /// <summary>Folder or hub id the model came from.</summary>
    string ModelName { get; }

    /// <summary>The activation the model's config asks for (used when options do not override it).</summary>
    ScoreActivation DefaultActivation { get; }

    /// <summary>One score per pair, in input order.</summary>
    float[] Predict(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default);

    Task<float[]> PredictAsync(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Names what the scores depend on (model and revision, weights file, engine, max length) in
    /// score-cache keys, so that encoders, or replicas, scoring differently never share cached scores.</summary>
    string CacheIdentity => ModelName;
}
