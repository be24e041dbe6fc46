namespace RerankKit.Inference;

/// <summary>A padded batch in row-major [BatchSize, SequenceLength] layout, as ONNX models take it.</summary>
public sealed record TokenBatch(long[] InputIds, long[] AttentionMask, long[] TokenTypeIds, int BatchSize, int SequenceLength);
