using Google.Protobuf;
using RerankKit.Models;

namespace RerankKit.Onnx;

/// <summary>The nodes and initializers of an ONNX ModelProto's graph, read field by field with protobuf's own wire
/// decoder (no ONNX protobuf classes ship for .NET; the writer side is <c>Export/OnnxProto</c>).</summary>
internal sealed record OnnxGraph(IReadOnlyList<OnnxNode> Nodes, IReadOnlyList<OnnxTensor> Initializers)
{
    public static OnnxGraph Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var model = new CodedInputStream(stream);
            uint tag;
            while ((tag = model.ReadTag()) != 0)
            {
                // ModelProto.graph = 7.
                if (WireFormat.GetTagFieldNumber(tag) == 7 && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                    return ReadGraph(model.ReadBytes().CreateCodedInput());
                model.SkipLastField();
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelLoadException($"{path} is not an ONNX model ({e.Message})", e);
        }
        throw new ModelLoadException($"{path} is not an ONNX model (it has no graph)");
    }

    /// <summary>GraphProto: node=1, initializer=5.</summary>
    private static OnnxGraph ReadGraph(CodedInputStream graph)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new List<OnnxTensor>();
        uint tag;
        while ((tag = graph.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    nodes.Add(ReadNode(graph.ReadBytes().CreateCodedInput()));
                    break;
                case 5:
                    initializers.Add(ReadTensor(graph.ReadBytes().CreateCodedInput()));
                    break;
                default:
                    graph.SkipLastField();
                    break;
            }
        }
        return new OnnxGraph(nodes, initializers);
    }

    /// <summary>NodeProto: input=1, output=2, name=3, op_type=4, attribute=5, domain=7.</summary>
    internal static OnnxNode ReadNode(CodedInputStream node)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, long>(StringComparer.Ordinal);
        var floatAttributes = new Dictionary<string, float>(StringComparer.Ordinal);
        var intsAttributes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var tensorAttributes = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        string opType = "", name = "", domain = "";
        uint tag;
        while ((tag = node.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    inputs.Add(node.ReadString());
                    break;
                case 2:
                    outputs.Add(node.ReadString());
                    break;
                case 3:
                    name = node.ReadString();
                    break;
                case 4:
                    opType = node.ReadString();
                    break;
                case 5:
                    var (attributeName, i, f, ints, t) = ReadAttribute(node.ReadBytes().CreateCodedInput());
                    if (i is { } iv)
                        attributes[attributeName] = iv;
                    if (f is { } fv)
                        floatAttributes[attributeName] = fv;
                    if (ints is { } list)
                        intsAttributes[attributeName] = list;
                    if (t is { } tensor)
                        tensorAttributes[attributeName] = tensor;
                    break;
                case 7:
                    domain = node.ReadString();
                    break;
                default:
                    node.SkipLastField();
                    break;
            }
        }
        return new OnnxNode(opType, inputs, outputs, attributes)
        {
            Name = name, Domain = domain, FloatAttributes = floatAttributes, IntsAttributes = intsAttributes, TensorAttributes = tensorAttributes,
        };
    }

    /// <summary>AttributeProto: name=1, f=2, i=3, t=5, ints=8 (packed or not); other kinds are not needed to locate or
    /// rewrite weights.</summary>
    private static (string Name, long? Int, float? Float, long[]? Ints, OnnxTensor? Tensor) ReadAttribute(CodedInputStream attribute)
    {
        string name = "";
        long? value = null;
        float? single = null;
        List<long>? ints = null;
        OnnxTensor? tensor = null;
        uint tag;
        while ((tag = attribute.ReadTag()) != 0)
        {
            var wire = WireFormat.GetTagWireType(tag);
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    name = attribute.ReadString();
                    break;
                case 2 when wire == WireFormat.WireType.Fixed32:
                    single = attribute.ReadFloat();
                    break;
                case 3 when wire == WireFormat.WireType.Varint:
                    value = attribute.ReadInt64();
                    break;
                case 5 when wire == WireFormat.WireType.LengthDelimited:
                    tensor = ReadTensor(attribute.ReadBytes().CreateCodedInput());
                    break;
                case 8:
                    ReadInt64s(attribute, wire, ints ??= []);
                    break;
                default:
                    attribute.SkipLastField();
                    break;
            }
        }
        return (name, value, single, ints?.ToArray(), tensor);
    }

    /// <summary>TensorProto: dims=1, data_type=2, float_data=4, int64_data=7, name=8, raw_data=9, data_location=14 (1 = external).</summary>
    internal static OnnxTensor ReadTensor(CodedInputStream tensor)
    {
        var dims = new List<long>();
        int dataType = 0;
        string name = "";
        byte[] data = [];
        var unpackedFloats = new List<float>();
        var int64s = new List<long>();
        bool external = false;
        uint tag;
        while ((tag = tensor.ReadTag()) != 0)
        {
            var wire = WireFormat.GetTagWireType(tag);
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    ReadInt64s(tensor, wire, dims);
                    break;
                case 2:
                    dataType = tensor.ReadInt32();
                    break;
                // Packed float_data is the little-endian floats back to back, the same bytes as raw_data.
                case 4 when wire == WireFormat.WireType.LengthDelimited:
                    data = tensor.ReadBytes().ToByteArray();
                    break;
                case 4:
                    unpackedFloats.Add(tensor.ReadFloat());
                    break;
                case 7:
                    ReadInt64s(tensor, wire, int64s);
                    break;
                case 8:
                    name = tensor.ReadString();
                    break;
                case 9:
                    data = tensor.ReadBytes().ToByteArray();
                    break;
                case 14:
                    external = tensor.ReadInt32() == 1;
                    break;
                default:
                    tensor.SkipLastField();
                    break;
            }
        }
        if (unpackedFloats.Count > 0)
            data = unpackedFloats.SelectMany(BitConverter.GetBytes).ToArray();
        if (int64s.Count > 0)
            data = int64s.SelectMany(BitConverter.GetBytes).ToArray();
        return new OnnxTensor(name, dataType, dims.ToArray(), data, external);
    }

    /// <summary>A repeated int64 field: packed (one length-delimited run) or one value per tag, as writers differ.</summary>
    private static void ReadInt64s(CodedInputStream input, WireFormat.WireType wire, List<long> values)
    {
        if (wire != WireFormat.WireType.LengthDelimited)
        {
            values.Add(input.ReadInt64());
            return;
        }
        var packed = input.ReadBytes().CreateCodedInput();
        while (!packed.IsAtEnd)
            values.Add(packed.ReadInt64());
    }
}
