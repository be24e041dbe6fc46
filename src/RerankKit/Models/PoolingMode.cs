namespace RerankKit.Models;

/// <summary>How a bi-encoder turns token vectors into one vector, as sentence-transformers' Pooling module.</summary>
public enum PoolingMode
{
    Mean,
    Cls,
    Max,
}
