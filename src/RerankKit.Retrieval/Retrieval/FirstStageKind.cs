namespace RerankKit.Retrieval;

/// <summary>Which first stage gathers candidates.</summary>
public enum FirstStageKind
{
    Bm25,
    Dense,
    Hybrid,
}
