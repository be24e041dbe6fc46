using Google.Protobuf;
using RerankKit.Models;

namespace RerankKit.Quantization;

/// <summary>One field of a protobuf message kept as it was read, so a rewriting pass changes the fields it knows and
/// copies every other one (metadata, value_info, doc strings, fields newer than this code) byte for byte.</summary>
internal sealed record ProtoField(int Number, WireFormat.WireType Type, ulong Scalar, ByteString Bytes)
{
    public static List<ProtoField> ReadAll(CodedInputStream input)
    {
        var fields = new List<ProtoField>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int number = WireFormat.GetTagFieldNumber(tag);
            var type = WireFormat.GetTagWireType(tag);
            fields.Add(type switch
            {
                WireFormat.WireType.Varint => new ProtoField(number, type, input.ReadUInt64(), ByteString.Empty),
                WireFormat.WireType.Fixed32 => new ProtoField(number, type, input.ReadFixed32(), ByteString.Empty),
                WireFormat.WireType.Fixed64 => new ProtoField(number, type, input.ReadFixed64(), ByteString.Empty),
                WireFormat.WireType.LengthDelimited => new ProtoField(number, type, 0, input.ReadBytes()),
                _ => throw new ModelLoadException($"protobuf field {number} has the unsupported wire type {type}"),
            });
        }
        return fields;
    }

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
}
