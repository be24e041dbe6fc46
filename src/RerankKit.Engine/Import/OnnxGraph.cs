using Google.Protobuf;
using RerankKit.Models;

namespace RerankKit.Import;

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

    /// <summary>NodeProto: input=1, output=2, op_type=4, attribute=5.</summary>
    private static OnnxNode ReadNode(CodedInputStream node)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, long>(StringComparer.Ordinal);
        string opType = "";
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
                case 4:
                    opType = node.ReadString();
                    break;
                case 5:
                    if (ReadIntAttribute(node.ReadBytes().CreateCodedInput()) is { } attribute)
                        attributes[attribute.Name] = attribute.Value;
                    break;
                default:
                    node.SkipLastField();
                    break;
            }
        }
        return new OnnxNode(opType, inputs, outputs, attributes);
    }

    /// <summary>AttributeProto: name=1, i=3; other kinds are not needed to locate weights.</summary>
    private static (string Name, long Value)? ReadIntAttribute(CodedInputStream attribute)
    {
        string name = "";
        long? value = null;
        uint tag;
        while ((tag = attribute.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    name = attribute.ReadString();
                    break;
                case 3 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint:
                    value = attribute.ReadInt64();
                    break;
                default:
                    attribute.SkipLastField();
                    break;
            }
        }
        return value is { } v ? (name, v) : null;
    }

    /// <summary>TensorProto: dims=1, data_type=2, float_data=4, name=8, raw_data=9, data_location=14 (1 = external).</summary>
    private static OnnxTensor ReadTensor(CodedInputStream tensor)
    {
        var dims = new List<long>();
        int dataType = 0;
        string name = "";
        byte[] data = [];
        var unpackedFloats = new List<float>();
        bool external = false;
        uint tag;
        while ((tag = tensor.ReadTag()) != 0)
        {
            var wire = WireFormat.GetTagWireType(tag);
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when wire == WireFormat.WireType.LengthDelimited:
                    var packed = tensor.ReadBytes().CreateCodedInput();
                    while (!packed.IsAtEnd)
                        dims.Add(packed.ReadInt64());
                    break;
                case 1:
                    dims.Add(tensor.ReadInt64());
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
        return new OnnxTensor(name, dataType, dims.ToArray(), data, external);
    }
}
