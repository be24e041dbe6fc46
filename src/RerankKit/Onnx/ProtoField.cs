using Google.Protobuf;

namespace RerankKit.Onnx;

/// <summary>One field of a protobuf message kept as it was read, so a rewriting pass changes the fields it knows and
/// copies every other one (metadata, value_info, doc strings, fields newer than this code) byte for byte.</summary>
internal sealed record ProtoField(int Number, WireFormat.WireType Type, ulong Scalar, ByteString Bytes)
{
    /// <summary>The fields of one message. Length-delimited fields are views of <paramref name="message"/>, not copies:
    /// a 90 MB export is read without copying its weights, which keeps an in-memory rewrite at load cheap.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a protobuf message.</exception>
    public static List<ProtoField> ReadAll(ReadOnlyMemory<byte> message)
    {
        var fields = new List<ProtoField>();
        var span = message.Span;
        int position = 0;
        while (position < span.Length)
        {
            ulong tag = ReadVarint(span, ref position);
            int number = (int)(tag >> 3);
            var type = (WireFormat.WireType)(tag & 7);
            if (number == 0)
                throw Malformed(number);
            switch (type)
            {
                case WireFormat.WireType.Varint:
                    fields.Add(new ProtoField(number, type, ReadVarint(span, ref position), ByteString.Empty));
                    break;
                case WireFormat.WireType.Fixed32:
                case WireFormat.WireType.Fixed64:
                    int size = type == WireFormat.WireType.Fixed32 ? 4 : 8;
                    if (position + size > span.Length)
                        throw Malformed(number);
                    ulong value = size == 4 ? BitConverter.ToUInt32(span.Slice(position, 4)) : BitConverter.ToUInt64(span.Slice(position, 8));
                    fields.Add(new ProtoField(number, type, value, ByteString.Empty));
                    position += size;
                    break;
                case WireFormat.WireType.LengthDelimited:
                    ulong length = ReadVarint(span, ref position);
                    if (length > (ulong)(span.Length - position))
                        throw Malformed(number);
                    fields.Add(new ProtoField(number, type, 0, UnsafeByteOperations.UnsafeWrap(message.Slice(position, (int)length))));
                    position += (int)length;
                    break;
                default:
                    throw new InvalidDataException($"not a protobuf message: field {number} has the unsupported wire type {type}");
            }
        }
        return fields;
    }

    /// <summary>The string in field <paramref name="number"/> of the message this field holds ("" when absent): a
    /// ValueInfoProto's or OperatorSetIdProto's first field, a TensorProto's eighth.</summary>
    public string Text(int number) => ReadAll(Bytes.Memory).FirstOrDefault(f => f.Number == number)?.Bytes.ToStringUtf8() ?? "";

    /// <summary>A length-delimited field holding an encoded message.</summary>
    public static ProtoField Message(int number, byte[] message) =>
        new(number, WireFormat.WireType.LengthDelimited, 0, UnsafeByteOperations.UnsafeWrap(message));

    /// <summary>The bytes <see cref="WriteTo"/> writes, tag included.</summary>
    public int EncodedSize => CodedOutputStream.ComputeTagSize(Number) + Type switch
    {
        WireFormat.WireType.Varint => CodedOutputStream.ComputeUInt64Size(Scalar),
        WireFormat.WireType.Fixed32 => 4,
        WireFormat.WireType.Fixed64 => 8,
        _ => CodedOutputStream.ComputeLengthSize(Bytes.Length) + Bytes.Length,
    };

    public void WriteTo(CodedOutputStream output)
    {
        output.WriteTag(Number, Type);
        switch (Type)
        {
            case WireFormat.WireType.Varint:
                output.WriteUInt64(Scalar);
                break;
            case WireFormat.WireType.Fixed32:
                output.WriteFixed32((uint)Scalar);
                break;
            case WireFormat.WireType.Fixed64:
                output.WriteFixed64(Scalar);
                break;
            default:
                output.WriteBytes(Bytes);
                break;
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= span.Length)
                throw Malformed(0);
            byte b = span[position++];
            result |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
                return result;
        }
        throw Malformed(0);
    }

    private static InvalidDataException Malformed(int field) =>
        new($"not a protobuf message: {(field == 0 ? "a tag or varint" : $"field {field}")} is cut short or invalid");
}
