using Google.Protobuf;

namespace RerankKit.Onnx;

/// <summary>Encoders for the handful of onnx.proto messages an exported encoder needs. No ONNX protobuf classes
/// ship for .NET here, so the messages are written field by field with protobuf's own wire encoder.</summary>
internal static class OnnxProto
{
    public const int Float = 1;
    public const int Int8 = 3;
    public const int Int64 = 7;
    public const int Bool = 9;

    /// <summary>ONNX Runtime's contrib operators (DynamicQuantizeMatMul, Attention, MultiHeadAttention).</summary>
    public const string MicrosoftDomain = "com.microsoft";

    private const int AttrFloat = 1;
    private const int AttrInt = 2;
    private const int AttrInts = 7;

    public static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
            output.Flush();
        }
        return buffer.ToArray();
    }

    /// <summary>OperatorSetIdProto: domain=1, version=2.</summary>
    public static byte[] Opset(string domain, long version) => Message(o =>
    {
        String(o, 1, domain);
        Varint(o, 2, version);
    });

    public static void Bytes(CodedOutputStream o, int field, byte[] value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(value));
    }

    public static void String(CodedOutputStream o, int field, string value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteString(value);
    }

    public static void Varint(CodedOutputStream o, int field, long value)
    {
        o.WriteTag(field, WireFormat.WireType.Varint);
        o.WriteInt64(value);
    }

    /// <summary>NodeProto: input=1, output=2, name=3, op_type=4, attribute=5, domain=7 (written when not the default).</summary>
    public static byte[] Node(string opType, string name, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyList<byte[]> attributes,
        string domain = "") =>
        Message(o =>
        {
            foreach (var input in inputs)
                String(o, 1, input);
            foreach (var output in outputs)
                String(o, 2, output);
            String(o, 3, name);
            String(o, 4, opType);
            foreach (var attribute in attributes)
                Bytes(o, 5, attribute);
            if (domain.Length > 0)
                String(o, 7, domain);
        });

    /// <summary>AttributeProto: name=1, f=2, i=3, ints=8, type=20.</summary>
    public static byte[] IntAttribute(string name, long value) => Message(o =>
    {
        String(o, 1, name);
        Varint(o, 3, value);
        Varint(o, 20, AttrInt);
    });

    public static byte[] FloatAttribute(string name, float value) => Message(o =>
    {
        String(o, 1, name);
        o.WriteTag(2, WireFormat.WireType.Fixed32);
        o.WriteFloat(value);
        Varint(o, 20, AttrFloat);
    });

    public static byte[] IntsAttribute(string name, IReadOnlyList<long> values) => Message(o =>
    {
        String(o, 1, name);
        foreach (long v in values)
            Varint(o, 8, v);
        Varint(o, 20, AttrInts);
    });

    /// <summary>TensorProto: dims=1, data_type=2, name=8, raw_data=9 (little-endian).</summary>
    public static byte[] Tensor(string name, int dataType, IReadOnlyList<long> dims, byte[] rawData) => Message(o =>
    {
        foreach (long d in dims)
            Varint(o, 1, d);
        Varint(o, 2, dataType);
        String(o, 8, name);
        Bytes(o, 9, rawData);
    });

    /// <summary>ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1: {elem_type=1, shape=2: {dim=1: {dim_value=1 | dim_param=2}}}}}.</summary>
    public static byte[] ValueInfo(string name, int elemType, IReadOnlyList<object> dims)
    {
        byte[] shape = Message(o =>
        {
            foreach (var dim in dims)
            {
                byte[] d = dim switch
                {
                    string param => Message(x => String(x, 2, param)),
                    _ => Message(x => Varint(x, 1, Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture))),
                };
                Bytes(o, 1, d);
            }
        });
        byte[] tensorType = Message(o =>
        {
            Varint(o, 1, elemType);
            Bytes(o, 2, shape);
        });
        byte[] type = Message(o => Bytes(o, 1, tensorType));
        return Message(o =>
        {
            String(o, 1, name);
            Bytes(o, 2, type);
        });
    }

    /// <summary>ModelProto: ir_version=1, producer_name=2, producer_version=3, graph=7, opset_import=8 {domain=1, version=2}.</summary>
    public static void WriteModel(Stream stream, byte[] graph, long irVersion, long opset, string producerVersion)
    {
        using var o = new CodedOutputStream(stream, leaveOpen: true);
        Varint(o, 1, irVersion);
        String(o, 2, "RerankKit");
        String(o, 3, producerVersion);
        Bytes(o, 8, Message(x =>
        {
            String(x, 1, "");
            Varint(x, 2, opset);
        }));
        Bytes(o, 7, graph);
        o.Flush();
    }
}
