namespace RerankKit.Retrieval;

/// <summary>Which first stage gathers candidates.</summary>
public enum FirstStageKind
{
    Bm25,
    Dense,
    Hybrid,

    /// <summary>Exact MaxSim over the ColBERT token vectors stored in the index.</summary>
    ColBert,
}
