namespace RerankKit.Quantization;

/// <summary>The operators a quantized MatMul/Gemm is written with.</summary>
public enum QuantizedMatMulForm
{
    /// <summary><c>com.microsoft</c> <c>DynamicQuantizeMatMul</c>: one node per MatMul that quantizes its input, multiplies
    /// in int8 and rescales to float. ONNX Runtime only.</summary>
    Fused,

    /// <summary>Standard ONNX: <c>DynamicQuantizeLinear</c> (shared by the MatMuls that read the same input) +
    /// <c>MatMulInteger</c> + <c>Cast</c> + <c>Mul</c> by the two scales. Any runtime with opset 11.</summary>
    Standard,
}
