namespace RerankKit.Engine;

/// <summary>What sits on top of the encoder.</summary>
public enum EncoderHead
{
    /// <summary>No head (<c>BertModel</c>, <c>XLMRobertaModel</c>): bi-encoders pool the last hidden state.</summary>
    None,

    /// <summary><c>BertForSequenceClassification</c>: <c>bert.pooler.dense</c> + tanh on [CLS], then <c>classifier</c>.</summary>
    BertClassifier,

    /// <summary><c>XLMRobertaForSequenceClassification</c>: <c>classifier.dense</c> + tanh on &lt;s&gt;, then <c>classifier.out_proj</c>.</summary>
    RobertaClassifier,
}
