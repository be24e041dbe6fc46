using System.Runtime.InteropServices;
using Google.Protobuf;

namespace RerankKit.Tests.Quantization;

/// <summary>The tests' own reading of an ONNX file (initializers and node operator types), written from onnx.proto
/// independently of the library's reader and writer, so a quantized file is checked against the proto itself.</summary>
internal sealed record OnnxFileReader(Dictionary<string, (int Type, long[] Dims, byte[] Data)> Initializers, List<(string Op, string Domain, List<string> Inputs)> Nodes)
{
    public static OnnxFileReader Read(string path)
    {
        var model = new CodedInputStream(File.ReadAllBytes(path));
        uint tag;
        while ((tag = model.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 7)
                return ReadGraph(model.ReadBytes());
            model.SkipLastField();
        }
        throw new InvalidDataException("no graph");
    }

    public float[] Floats(string name) => MemoryMarshal.Cast<byte, float>(Initializers[name].Data).ToArray();

    public sbyte[] Int8(string name) => MemoryMarshal.Cast<byte, sbyte>(Initializers[name].Data).ToArray();

    private static OnnxFileReader ReadGraph(ByteString graph)
    {
        var initializers = new Dictionary<string, (int, long[], byte[])>(StringComparer.Ordinal);
        var nodes = new List<(string, string, List<string>)>();
        var input = graph.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    nodes.Add(Node(input.ReadBytes()));
                    break;
                case 5:
                    var (name, type, dims, data) = Tensor(input.ReadBytes());
                    initializers[name] = (type, dims, data);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return new OnnxFileReader(initializers, nodes);
    }

    // NodeProto: input=1, op_type=4, domain=7.
    private static (string, string, List<string>) Node(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        var inputs = new List<string>();
        string op = "", domain = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: inputs.Add(input.ReadString()); break;
                case 4: op = input.ReadString(); break;
                case 7: domain = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return (op, domain, inputs);
    }

    // TensorProto: dims=1, data_type=2, float_data=4 (packed), name=8, raw_data=9.
    private static (string, int, long[], byte[]) Tensor(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        var dims = new List<long>();
        string name = "";
        int type = 0;
        byte[] data = [];
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    var packed = input.ReadBytes().CreateCodedInput();
                    while (!packed.IsAtEnd)
                        dims.Add(packed.ReadInt64());
                    break;
                case 1: dims.Add(input.ReadInt64()); break;
                case 2: type = input.ReadInt32(); break;
                case 4 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited: data = input.ReadBytes().ToByteArray(); break;
                case 8: name = input.ReadString(); break;
                case 9: data = input.ReadBytes().ToByteArray(); break;
                default: input.SkipLastField(); break;
            }
        }
        return (name, type, dims.ToArray(), data);
    }
}
