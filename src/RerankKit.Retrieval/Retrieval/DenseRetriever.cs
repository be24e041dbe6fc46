namespace RerankKit.Retrieval;

/// <summary>Exact nearest neighbours by dot product over bi-encoder embeddings (cosine for normalized models).
/// With <see cref="Int8Vectors"/>, int8 scores pick a shortlist of <c>k x RescoreFactor</c> rows that are rescored
/// with the float vectors, so results match exact search unless the true top k falls outside the shortlist. Queries are
/// embedded with <see cref="IBiEncoder.EncodeQuery"/>, so with the model's query prompt.</summary>
public sealed class DenseRetriever(IBiEncoder encoder, VectorMatrix vectors, Int8Vectors? quantized = null, EncodeOptions? encodeOptions = null) : IFirstStageRetriever
{
    /// <summary>How many int8 candidates per requested hit are rescored in float.</summary>
    public int RescoreFactor { get; init; } = 4;

    public string Name => "dense";

    public VectorMatrix Vectors { get; } = vectors;

    public IReadOnlyList<RetrievalHit> Search(string query, int k, CancellationToken cancellationToken = default) =>
        SearchByVector(encoder.EncodeQuery([query], encodeOptions, cancellationToken)[0], k);

    public async Task<IReadOnlyList<RetrievalHit>> SearchAsync(string query, int k, CancellationToken cancellationToken = default) =>
        SearchByVector((await encoder.EncodeQueryAsync([query], encodeOptions, cancellationToken).ConfigureAwait(false))[0], k);

    public RetrievalHit[] SearchByVector(ReadOnlySpan<float> query, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var scores = new float[Vectors.Count];
        if (quantized is null)
        {
            Vectors.DotAll(query, scores);
            return TopK.Select(scores, k);
        }
        quantized.DotAll(query, scores);
        var shortlist = TopK.Select(scores, Math.Max(k, k * RescoreFactor));
        var exact = new float[shortlist.Length];
        for (int i = 0; i < shortlist.Length; i++)
            exact[i] = System.Numerics.Tensors.TensorPrimitives.Dot(query, Vectors.Row(shortlist[i].Index));
        return TopK.Select(exact, k).Select(h => new RetrievalHit(shortlist[h.Index].Index, h.Score)).ToArray();
    }
}
