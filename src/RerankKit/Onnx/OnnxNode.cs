namespace RerankKit.Onnx;

/// <summary>One NodeProto: the operator, its value names and its integer attributes (Gemm's transB and the like); the
/// node's name, domain, float, integer-list and tensor attributes for rewriting passes (quantization, attention fusion).</summary>
internal sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, long> IntAttributes)
{
    public string Name { get; init; } = "";

    public string Domain { get; init; } = "";

    public IReadOnlyDictionary<string, float> FloatAttributes { get; init; } = new Dictionary<string, float>();

    /// <summary>Integer-list attributes (Transpose's perm, an opset-11 Unsqueeze's axes).</summary>
    public IReadOnlyDictionary<string, long[]> IntsAttributes { get; init; } = new Dictionary<string, long[]>();

    /// <summary>Tensor attributes (a Constant node's value).</summary>
    public IReadOnlyDictionary<string, OnnxTensor> TensorAttributes { get; init; } = new Dictionary<string, OnnxTensor>();
}
