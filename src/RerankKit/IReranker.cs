namespace RerankKit;

/// <summary>One API over every kind of reranker (cross-encoder, T5 mono/Rank/duo, ColBERT late interaction, an LLM
/// listwise reranker), as AnswerDotAI's <c>rerankers</c> puts one <c>rank</c> over all of them. A kind may score
/// documents one at a time, in pairs or as a whole list, so the contract is a ranking of one query's documents,
/// not a score per pair: <see cref="RankedDocument.Index"/> points into the input and
/// <see cref="RankedDocument.Score"/> is the raw score of the kind (<see cref="ScoreKind"/> names it).</summary>
public interface IReranker : IDisposable
{
    /// <summary>Folder, hub id or endpoint model name the reranker came from.</summary>
    string ModelName { get; }

    /// <summary>What <see cref="RankedDocument.Score"/> means, e.g. <c>cross-encoder</c> (the activated score),
    /// <c>monot5</c> (log P(true)), <c>rankt5</c> (the logit), <c>duot5</c> (sym-sum), <c>colbert</c> (MaxSim);
    /// shown with results so that scores of different kinds are never compared as if alike.</summary>
    string ScoreKind { get; }

    /// <summary>One query's raw scores, as <see cref="RankAsync"/> gives them for one list (NaN for a document the
    /// kind left unscored), as the bounded relevance scores the HTTP APIs return (Cohere <c>relevance_score</c>, TEI
    /// <c>score</c>), in the same order. The kind owns the rule because only it knows what its raw score means
    /// (monoT5: P(true); RankT5: sigmoid of the logit; duoT5: the sym-sum over its maximum; ColBERT: MaxSim per query
    /// vector); the rule is monotone within a list, so the order never changes.</summary>
    float[] RelevanceScores(string query, IReadOnlyList<float> scores);

    /// <summary>The documents best first, ties in input order; every document appears once unless
    /// <paramref name="topK"/> (null keeps all) cuts the list.</summary>
    Task<IReadOnlyList<RankedDocument>> RankAsync(string query, IReadOnlyList<string> documents, int? topK = null,
        CancellationToken cancellationToken = default);
}
