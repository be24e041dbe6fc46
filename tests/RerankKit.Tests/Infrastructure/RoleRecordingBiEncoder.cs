namespace RerankKit.Tests.Infrastructure;

/// <summary>Base of the tests' stand-in bi-encoders: query and document encodes are plain <see cref="Encode"/>
/// calls, recorded in <see cref="Roles"/> so a test sees which prompt side a caller asked for.</summary>
internal abstract class RoleRecordingBiEncoder : IBiEncoder
{
    public abstract string ModelName { get; }

    public abstract int Dimension { get; }

    /// <summary>"query" or "document" per role call.</summary>
    public List<string> Roles { get; } = [];

    public abstract float[][] Encode(IReadOnlyList<string> texts, EncodeOptions? options = null, CancellationToken cancellationToken = default);

    public Task<float[][]> EncodeAsync(IReadOnlyList<string> texts, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Encode(texts, options, cancellationToken));

    public float[][] EncodeQuery(IReadOnlyList<string> queries, EncodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        Roles.Add("query");
        return Encode(queries, options, cancellationToken);
    }

    public Task<float[][]> EncodeQueryAsync(IReadOnlyList<string> queries, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(EncodeQuery(queries, options, cancellationToken));

    public float[][] EncodeDocument(IReadOnlyList<string> documents, EncodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        Roles.Add("document");
        return Encode(documents, options, cancellationToken);
    }

    public Task<float[][]> EncodeDocumentAsync(IReadOnlyList<string> documents, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(EncodeDocument(documents, options, cancellationToken));

    public virtual void Dispose()
    {
    }
}
