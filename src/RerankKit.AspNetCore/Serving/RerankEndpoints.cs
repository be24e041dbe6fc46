using Microsoft.AspNetCore.Http;
using RerankKit.Models;

namespace RerankKit.Serving;

/// <summary><c>POST /rerank</c> (Hugging Face TEI) and <c>POST /v1/rerank</c> (Cohere, Jina).</summary>
internal static class RerankEndpoints
{
    /// <summary>TEI: <c>{query, texts, truncate, raw_scores, return_text}</c> to <c>[{index, score, text?}]</c>
    /// best first. Scores are the reranker's relevance scores (<see cref="ICrossEncoder.RelevanceScores"/>: a
    /// cross-encoder's sigmoid, a T5 or ColBERT kind's own rule) unless <c>raw_scores</c>. Inputs longer than the model's
    /// max_length are always truncated (TEI's <c>--auto-truncate</c>), so <c>truncate</c> is only validated.</summary>
    public static async Task<object> TeiAsync(JsonRequest body, ServingState state, CancellationToken cancellationToken)
    {
        string query = body.RequiredString("query");
        var texts = body.Texts("texts", allowSingle: false);
        body.OptionalBool("truncate", false);
        bool rawScores = body.OptionalBool("raw_scores", false);
        bool returnText = body.OptionalBool("return_text", false);
        float[] logits = await ScoreAsync(state, query, texts, cancellationToken).ConfigureAwait(false);
        float[] scores = rawScores ? logits : state.Models.Reranker!.RelevanceScores(query, logits);
        return BestFirst(logits)
            .Select(i => new TeiRank(i, scores[i], returnText ? texts[i] : null))
            .ToArray();
    }

    /// <summary>Cohere/Jina: <c>{model, query, documents, top_n, return_documents}</c>; <c>relevance_score</c> is the
    /// reranker's relevance score (<see cref="ICrossEncoder.RelevanceScores"/>). <c>model</c> is accepted whatever it names: a server serves one reranker.</summary>
    public static async Task<object> CohereAsync(JsonRequest body, ServingState state, CancellationToken cancellationToken)
    {
        body.OptionalString("model");
        string query = body.RequiredString("query");
        var documents = body.Documents("documents");
        int? topN = body.OptionalPositiveInt("top_n");
        bool returnDocuments = body.OptionalBool("return_documents", false);
        float[] logits = await ScoreAsync(state, query, documents, cancellationToken).ConfigureAwait(false);
        float[] scores = state.Models.Reranker!.RelevanceScores(query, logits);
        var ranked = BestFirst(logits).Take(topN ?? int.MaxValue)
            .Select(i => new CohereRerankResult(i, scores[i], returnDocuments ? new CohereDocument(documents[i]) : null))
            .ToArray();
        return new CohereRerankResponse(Guid.NewGuid().ToString(), ranked,
            new CohereMeta(new CohereApiVersion("2"), new CohereBilledUnits(1)), state.Models.Reranker!.ModelName);
    }

    private static Task<float[]> ScoreAsync(ServingState state, string query, IReadOnlyList<string> documents, CancellationToken cancellationToken)
    {
        var batcher = state.Batcher ?? throw NoModel();
        if (state.Models.Reranker is CrossEncoder { Labels.Count: > 1 } multiLabel)
            throw MultiLabel(multiLabel.Labels);
        return batcher.ScoreAsync(documents.Select(d => (query, d)).ToArray(), cancellationToken);
    }

    private static IEnumerable<int> BestFirst(float[] logits) =>
        Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i);

    // As sentence-transformers' CrossEncoder.rank, which refuses a model with several labels (NLI): no one score orders them.
    private static ApiException MultiLabel(IReadOnlyList<string> labels) =>
        new(StatusCodes.Status422UnprocessableEntity, "model",
            $"The served model has {labels.Count} labels ({string.Join(", ", labels)}); ranking needs a one-label model. Score every label with rerankkit score.");

    private static ApiException NoModel() =>
        new(404, "model", "This server has no reranker; start it with --model.");
}
