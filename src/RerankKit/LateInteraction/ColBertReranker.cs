namespace RerankKit.LateInteraction;

/// <summary>A <see cref="ColBert"/> as an <see cref="IReranker"/> over any first stage's candidates: the query is
/// encoded once, each candidate's token vectors are computed and scored by <see cref="MaxSim"/>.</summary>
public sealed class ColBertReranker(ColBert model) : IReranker
{
    public ColBert Model { get; } = model;

    public string ModelName => Model.ModelName;

    public string ScoreKind => "colbert";

    public static async Task<ColBertReranker> LoadAsync(string modelNameOrPath, ColBertOptions? options = null, CancellationToken cancellationToken = default) =>
        new(await ColBert.LoadAsync(modelNameOrPath, options, cancellationToken).ConfigureAwait(false));

    /// <summary>MaxSim of every document against the query, in input order.</summary>
    public float[] Score(string query, IReadOnlyList<string> documents, CancellationToken cancellationToken = default)
    {
        if (documents.Count == 0)
            return [];
        var queryVectors = Model.EncodeQueries([query], cancellationToken)[0];
        return Model.EncodeDocuments(documents, cancellationToken).Select(d => MaxSim.Score(queryVectors, d)).ToArray();
    }

    public Task<IReadOnlyList<RankedDocument>> RankAsync(string query, IReadOnlyList<string> documents, int? topK = null,
        CancellationToken cancellationToken = default)
    {
        if (topK is < 0)
            throw new ArgumentException($"top_k must not be negative, not {topK}");
        return Task.Run<IReadOnlyList<RankedDocument>>(() =>
        {
            var scores = Score(query, documents, cancellationToken);
            var ranked = Enumerable.Range(0, documents.Count).OrderByDescending(i => scores[i]).ThenBy(i => i)
                .Select(i => new RankedDocument(i, scores[i], documents[i]));
            return (topK is { } k ? ranked.Take(k) : ranked).ToList();
        }, cancellationToken);
    }

    /// <summary>MaxSim divided by the query's vector count: the mean over query tokens of their best cosine with the
    /// document, in [-1, 1] whatever the query length (in practice [0, 1]), where a sigmoid of the raw sum would
    /// saturate. PyLate ranks by the raw MaxSim, which the CLI's <c>--json</c> and TEI's <c>raw_scores</c> keep.</summary>
    public float[] RelevanceScores(string query, IReadOnlyList<float> scores)
    {
        int vectors = Model.QueryInput(query).Kept.Length;
        return scores.Select(s => s / vectors).ToArray();
    }

    public void Dispose() => Model.Dispose();
}
