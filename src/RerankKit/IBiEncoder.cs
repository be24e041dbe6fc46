namespace RerankKit;

/// <summary>Embeds texts independently. <see cref="BiEncoder"/> is the implementation.</summary>
public interface IBiEncoder : IDisposable
{
    string ModelName { get; }

    int Dimension { get; }

    /// <summary>One vector per text, in input order.</summary>
    float[][] Encode(IReadOnlyList<string> texts, EncodeOptions? options = null, CancellationToken cancellationToken = default);

    Task<float[][]> EncodeAsync(IReadOnlyList<string> texts, EncodeOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Embeds search queries: as <see cref="Encode"/> with the model's "query" prompt unless
    /// <paramref name="options"/> names a prompt, as sentence-transformers' <c>encode_query</c>.</summary>
    float[][] EncodeQuery(IReadOnlyList<string> queries, EncodeOptions? options = null, CancellationToken cancellationToken = default);

    Task<float[][]> EncodeQueryAsync(IReadOnlyList<string> queries, EncodeOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Embeds documents: as <see cref="Encode"/> with the model's "document", else "passage", else "corpus"
    /// prompt unless <paramref name="options"/> names a prompt, as sentence-transformers' <c>encode_document</c>.</summary>
    float[][] EncodeDocument(IReadOnlyList<string> documents, EncodeOptions? options = null, CancellationToken cancellationToken = default);

    Task<float[][]> EncodeDocumentAsync(IReadOnlyList<string> documents, EncodeOptions? options = null, CancellationToken cancellationToken = default);
}
