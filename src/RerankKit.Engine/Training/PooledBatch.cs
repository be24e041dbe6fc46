using RerankKit.Engine;

namespace RerankKit.Training;

/// <summary>A batch's forward pass, its pooled vectors [batch, hidden] and the mask the mean pooled over.</summary>
internal sealed record PooledBatch(ForwardPass Pass, float[] Pooled, int[] PoolingMask);
