namespace RerankKit.Engine;

/// <summary>The element types of a safetensors file. Floating types (and integer buffers such as
/// <c>position_ids</c>) read as float32; the engine writes F32.</summary>
internal enum SafetensorsDType
{
    F32,
    F16,
    BF16,
    F64,
    I64,
    I32,
    I16,
    I8,
    U8,
    BOOL,
}
