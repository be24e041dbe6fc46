namespace RerankKit.Retrieval;

/// <summary>A first-stage result: the position of the document in the index and its score (higher is better).</summary>
public readonly record struct RetrievalHit(int Index, float Score);
