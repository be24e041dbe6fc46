namespace RerankKit.Training;

/// <summary>What is trained: a cross-encoder (sequence classifier with one logit) or a bi-encoder (pooled embeddings).</summary>
public enum ModelKind
{
    Reranker,
    Embedder,
}
