namespace RerankKit.Inference;

/// <summary>The steps of <see cref="BiEncoder"/>'s encoding path that <c>rerankkit bench embed</c> switches off one at
/// a time to measure what each gives; the library always runs <see cref="All"/>. Each keeps the embeddings the same.</summary>
[Flags]
internal enum EncodeSteps
{
    /// <summary>Batches in input order, each padded then run, its hidden states copied out of ONNX Runtime.</summary>
    None = 0,

    /// <summary>The whole input sorted by token length before it is cut into batches, so each batch pads little.</summary>
    SortWhole = 1,

    /// <summary>Pooling reads the hidden states where ONNX Runtime wrote them instead of from a per-batch copy.</summary>
    ReadInPlace = 2,

    /// <summary>Batch i+1 is padded on a worker while batch i runs.</summary>
    Overlap = 4,

    All = SortWhole | ReadInPlace | Overlap,
}
