namespace RerankKit.Models;

/// <summary>Where a cross-encoder's score comes from.</summary>
public enum ScoreRule
{
    /// <summary>A <c>*ForSequenceClassification</c> head: the logits output, one value per label.</summary>
    Classifier,

    /// <summary>A decoder LLM asked a yes/no question in the Qwen3-Reranker style: the logit is
    /// <c>logit("yes") − logit("no")</c> at the last position, so sigmoid of it is P(yes) over {yes, no}.</summary>
    YesNoLastToken,
}
