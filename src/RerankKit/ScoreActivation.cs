namespace RerankKit;

/// <summary>What turns a cross-encoder logit into a score, as sentence-transformers' <c>activation_fn</c>.</summary>
public enum ScoreActivation
{
    Identity,
    Sigmoid,
}
