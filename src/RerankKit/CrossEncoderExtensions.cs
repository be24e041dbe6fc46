namespace RerankKit;

/// <summary>Ranking on top of any <see cref="ICrossEncoder"/>'s scores: the one place documents are sorted by a
/// cross-encoder, so every implementation (cached, batched, a test's fake) ranks the same way.</summary>
public static class CrossEncoderExtensions
{
    /// <summary>Documents sorted best first, ties in input order; <paramref name="topK"/> null keeps all.</summary>
    public static IReadOnlyList<RankedDocument> Rank(this ICrossEncoder encoder, string query, IReadOnlyList<string> documents,
        int? topK = null, PredictOptions? options = null, CancellationToken cancellationToken = default)
    {
        ValidateTopK(topK);
        return Order(documents, encoder.Predict(Pairs(query, documents), options, cancellationToken), topK);
    }

    /// <inheritdoc cref="Rank"/>
    public static async Task<IReadOnlyList<RankedDocument>> RankAsync(this ICrossEncoder encoder, string query, IReadOnlyList<string> documents,
        int? topK = null, PredictOptions? options = null, CancellationToken cancellationToken = default)
    {
        ValidateTopK(topK);
        return Order(documents, await encoder.PredictAsync(Pairs(query, documents), options, cancellationToken).ConfigureAwait(false), topK);
    }

    private static void ValidateTopK(int? topK)
    {
        if (topK is < 0)
            throw new ArgumentException($"top_k must not be negative, not {topK}");
    }

    private static (string Query, string Document)[] Pairs(string query, IReadOnlyList<string> documents) =>
        documents.Select(d => (query, d)).ToArray();

    private static List<RankedDocument> Order(IReadOnlyList<string> documents, float[] scores, int? topK)
    {
        var ranked = Enumerable.Range(0, documents.Count)
            .OrderByDescending(i => scores[i])
            .ThenBy(i => i)
            .Select(i => new RankedDocument(i, scores[i], documents[i]));
        return (topK is { } k ? ranked.Take(k) : ranked).ToList();
    }
}
