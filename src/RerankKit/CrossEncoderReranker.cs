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

    public void Dispose() => Encoder.Dispose();
}
