namespace RerankKit.Onnx;

/// <summary>One TensorProto initializer of an ONNX graph: its element type, shape and little-endian payload
/// (raw_data, or the packed float_data field, which has the same layout).</summary>
internal sealed record OnnxTensor(string Name, int DataType, long[] Dims, byte[] Data, bool External)
{
    public const int Float = 1;
    public const int Int32 = 6;
    public const int Int64 = 7;
    public const int Float16 = 10;
}
