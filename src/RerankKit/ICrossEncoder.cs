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

    /// <summary>One query's raw logits (activation Identity, as <see cref="Batching.CrossEncoderBatcher"/> gives them)
    /// as the relevance scores the HTTP APIs return, in the same order: the sigmoid, as TEI and Cohere calibrate a
    /// cross-encoder. Encoders wrapping another kind of reranker apply that kind's rule
    /// (<see cref="IReranker.RelevanceScores"/>).</summary>
    float[] RelevanceScores(string query, IReadOnlyList<float> logits) =>
        logits.Select(l => Models.ActivationRule.Apply(ScoreActivation.Sigmoid, l)).ToArray();
}
