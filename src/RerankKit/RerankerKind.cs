namespace RerankKit;

/// <summary>The kinds of reranker a model folder can hold, told apart by <see cref="Rerankers.KindOf"/>.</summary>
public enum RerankerKind
{
    /// <summary>A <c>*ForSequenceClassification</c> cross-encoder (<see cref="CrossEncoder"/>).</summary>
    CrossEncoder,

    /// <summary>A <c>T5ForConditionalGeneration</c> scored as monoT5, RankT5 or duoT5 (<see cref="Seq2Seq.Seq2SeqReranker"/>).</summary>
    T5,

    /// <summary>A PyLate ColBERT (<see cref="LateInteraction.ColBertReranker"/>).</summary>
    ColBert,
}
