namespace RerankKit.Retrieval;

/// <summary>Progress of an index build: which phase and how many of its items are done.</summary>
public readonly record struct IndexProgress(string Phase, int Done, int Total);
