namespace RerankKit.Models;

/// <summary>What a model folder holds, decided from its config.json and sentence-transformers modules.</summary>
public enum ModelKind
{
    /// <summary>A <c>*ForSequenceClassification</c> model that scores text pairs.</summary>
    CrossEncoder,

    /// <summary>A bare encoder (<c>BertModel</c>, <c>XLMRobertaModel</c>) pooled into one vector per text.</summary>
    BiEncoder,
}
