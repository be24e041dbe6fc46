namespace RerankKit.Import;

/// <summary>One NodeProto: the operator, its value names and its integer attributes (Gemm's transB and the like); the
/// node's name, domain and float attributes (Gemm's alpha and beta) for rewriting passes such as quantization.</summary>
internal sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, long> IntAttributes)
{
    public string Name { get; init; } = "";

    public string Domain { get; init; } = "";

    public IReadOnlyDictionary<string, float> FloatAttributes { get; init; } = new Dictionary<string, float>();
}
