namespace RerankKit.Export;

/// <summary>A float32 tensor with its Hugging Face parameter name and shape, row-major.</summary>
public sealed record NamedTensor(string Name, long[] Shape, float[] Data);
