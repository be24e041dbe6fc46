using System.Runtime.InteropServices;
using Google.Protobuf;
using RerankKit.Onnx;

namespace RerankKit.Export;

/// <summary>Accumulates the nodes, initializers, inputs and outputs of one GraphProto (node=1, name=2,
/// initializer=5, input=11, output=12) and names intermediate values uniquely.</summary>
internal sealed class OnnxGraphBuilder : IDisposable
{
    private readonly MemoryStream _body = new();
    private readonly CodedOutputStream _out;
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private int _counter;

    public OnnxGraphBuilder(string name)
    {
        _out = new CodedOutputStream(_body, leaveOpen: true);
        OnnxProto.String(_out, 2, name);
    }

    public void Input(string name, int elemType, params object[] dims) => OnnxProto.Bytes(_out, 11, OnnxProto.ValueInfo(name, elemType, dims));

    public void Output(string name, int elemType, params object[] dims) => OnnxProto.Bytes(_out, 12, OnnxProto.ValueInfo(name, elemType, dims));

    public string Weight(string name, float[] data, params long[] dims)
    {
        OnnxProto.Bytes(_out, 5, OnnxProto.Tensor(name, OnnxProto.Float, dims, MemoryMarshal.AsBytes(data.AsSpan()).ToArray()));
        return name;
    }

    /// <summary>A scalar or small float constant, shared between nodes that use the same value.</summary>
    public string FloatConst(float value) => Constant($"f:{value:R}", name =>
        OnnxProto.Tensor(name, OnnxProto.Float, [], BitConverter.GetBytes(value)));

    public string Int64Const(params long[] values) => Int64Tensor(values, [values.Length]);

    public string Int64Scalar(long value) => Int64Tensor([value], []);

    private string Int64Tensor(long[] values, long[] dims) => Constant($"i:{string.Join(',', dims)}:{string.Join(',', values)}", name =>
        OnnxProto.Tensor(name, OnnxProto.Int64, dims, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));

    private string Constant(string key, Func<string, byte[]> encode)
    {
        if (_constants.TryGetValue(key, out var existing))
            return existing;
        string name = Fresh("const");
        OnnxProto.Bytes(_out, 5, encode(name));
        _constants[key] = name;
        return name;
    }

    /// <summary>Adds a node with one output and returns the output's name (or <paramref name="output"/> when given).</summary>
    public string Node(string opType, string[] inputs, byte[][]? attributes = null, string? output = null)
    {
        string result = output ?? Fresh(opType.ToLowerInvariant());
        OnnxProto.Bytes(_out, 1, OnnxProto.Node(opType, $"{opType}_{_counter++}", inputs, [result], attributes ?? []));
        return result;
    }

    public byte[] ToGraph()
    {
        _out.Flush();
        return _body.ToArray();
    }

    public void Dispose()
    {
        _out.Dispose();
        _body.Dispose();
    }

    private string Fresh(string stem) => $"{stem}_{_counter++}";
}
