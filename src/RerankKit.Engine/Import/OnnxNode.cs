namespace RerankKit.Import;

/// <summary>One NodeProto: the operator, its value names and its integer attributes (Gemm's transB and the like).</summary>
internal sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, long> IntAttributes);
