namespace RerankKit;

/// <summary>Any <see cref="ICrossEncoder"/> as an <see cref="IReranker"/>: its scores, ranked by
/// <see cref="CrossEncoderExtensions.RankAsync"/> so that both APIs order documents the same way.</summary>
public sealed class CrossEncoderReranker(ICrossEncoder encoder, PredictOptions? options = null) : IReranker
{
    public ICrossEncoder Encoder { get; } = encoder;

    public string ModelName => Encoder.ModelName;

    public string ScoreKind => "cross-encoder";

    public Task<IReadOnlyList<RankedDocument>> RankAsync(string query, IReadOnlyList<string> documents, int? topK = null,
        CancellationToken cancellationToken = default) =>
        Encoder.RankAsync(query, documents, topK, options, cancellationToken);

    /// <summary>Scores already through the sigmoid stay as they are; any other activation's go through it, as the
    /// HTTP APIs calibrate a cross-encoder's logits.</summary>
    public float[] RelevanceScores(string query, IReadOnlyList<float> scores) =>
        (options?.ActivationFn ?? Encoder.DefaultActivation) == ScoreActivation.Sigmoid
            ? scores.ToArray()
            : scores.Select(s => Models.ActivationRule.Apply(ScoreActivation.Sigmoid, s)).ToArray();

    public void Dispose() => Encoder.Dispose();
}
