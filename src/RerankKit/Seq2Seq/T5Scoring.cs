namespace RerankKit.Seq2Seq;

/// <summary>How a T5 reranker turns its first decoding step into a score.</summary>
public enum T5Scoring
{
    /// <summary>pygaggle MonoT5: <c>Query: q Document: d Relevant:</c>, score = log P(true) over {true, false}.</summary>
    MonoT5,

    /// <summary>RankT5 (encoder-decoder): <c>Query: q Document: d</c>, score = the raw <c>&lt;extra_id_10&gt;</c> logit.</summary>
    RankT5,

    /// <summary>pygaggle DuoT5: P(Document0 more relevant than Document1) for every ordered pair, aggregated by sym-sum.</summary>
    DuoT5,
}
