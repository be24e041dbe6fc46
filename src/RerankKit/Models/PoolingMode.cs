namespace RerankKit.Models;

/// <summary>How a bi-encoder turns token vectors into one vector, as sentence-transformers' Pooling module.</summary>
public enum PoolingMode
{
    Mean,
    Cls,
    Max,

    /// <summary>The last real token's vector (an LLM embedder's end-of-text token), wherever padding put it.</summary>
    LastToken,
}
