namespace RerankKit.Quantization;

/// <summary>How <see cref="OnnxQuantizer"/> quantizes an export.</summary>
public sealed record QuantizationOptions
{
    /// <summary>One scale per output channel (column of the [in, out] weight) instead of one per tensor, at no run-time
    /// cost. On by default: all-MiniLM-L6-v2's output projections have a few columns far larger than the rest, and one
    /// scale per tensor left its int8 embeddings of SciFact abstracts at cosine 0.933 (mean) to the float ones, one per
    /// channel at 0.995 (docs/performance.md).</summary>
    public bool PerChannel { get; init; } = true;

    /// <summary>7-bit weights ([-63, 63]): CPUs without VNNI multiply u8 x s8 pairs into saturating int16 sums, which
    /// full 8-bit weights can overflow; with VNNI it only costs precision.</summary>
    public bool ReduceRange { get; init; }

    /// <summary>Regular expressions; a MatMul/Gemm stays in float when one matches its layer name (from its bias, e.g.
    /// <c>encoder.layer.0.attention.self.query</c>), its node name or its weight's name.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Which operators the quantized graph uses; <see cref="QuantizedMatMulForm.Fused"/> measured faster on
    /// ONNX Runtime 1.31.1 here (docs/performance.md).</summary>
    public QuantizedMatMulForm Form { get; init; } = QuantizedMatMulForm.Fused;

    /// <summary>The export to read, relative to the model folder.</summary>
    public string OnnxFile { get; init; } = OnnxQuantizer.DefaultOnnxFile;
}
