namespace RerankKit.Quantization;

/// <summary>What <see cref="OnnxQuantizer"/> wrote: the file, how many weight matrices became int8 and how many an
/// exclude pattern kept in float, their parameter count, and the file sizes before and after.</summary>
public sealed record QuantizationResult(string Path, string Source, QuantizedMatMulForm Form, int QuantizedWeights, int ExcludedWeights,
    long QuantizedParameters, long SourceBytes, long Bytes);
