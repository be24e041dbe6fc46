using Google.Protobuf;
using RerankKit.Import;
using RerankKit.Models;
using RerankKit.Onnx;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Engine;

/// <summary>Initializers stored as float_data (packed or not) read as raw_data does; a MatMul weight is named after its
/// Add's bias and transposed to [out, in]; external data is refused with a clear message.</summary>
public class OnnxWeightsStorageTests
{
    private enum Storage { Raw, PackedFloatData, UnpackedFloatData, External }

    /// <summary>TensorProto: dims=1, data_type=2 (1 = float), float_data=4, name=8, raw_data=9, data_location=14.</summary>
    private static byte[] Tensor(string name, long[] dims, float[] values, Storage storage) => OnnxProto.Message(o =>
    {
        foreach (long d in dims)
        {
            o.WriteTag(1, WireFormat.WireType.Varint);
            o.WriteInt64(d);
        }
        o.WriteTag(2, WireFormat.WireType.Varint);
        o.WriteInt32(1);
        OnnxProto.String(o, 8, name);
        switch (storage)
        {
            case Storage.Raw:
                OnnxProto.Bytes(o, 9, values.SelectMany(BitConverter.GetBytes).ToArray());
                break;
            case Storage.PackedFloatData:
                OnnxProto.Bytes(o, 4, values.SelectMany(BitConverter.GetBytes).ToArray());
                break;
            case Storage.UnpackedFloatData:
                foreach (float v in values)
                {
                    o.WriteTag(4, WireFormat.WireType.Fixed32);
                    o.WriteFloat(v);
                }
                break;
            case Storage.External:
                o.WriteTag(14, WireFormat.WireType.Varint);
                o.WriteInt32(1);
                break;
        }
    });

    private static byte[] Node(string op, string[] inputs, string output) => OnnxProto.Message(o =>
    {
        foreach (string i in inputs)
            OnnxProto.String(o, 1, i);
        OnnxProto.String(o, 2, output);
        OnnxProto.String(o, 4, op);
    });

    /// <summary>A graph x·W + b with W = [[1,2,3],[4,5,6]] stored [in=2, out=3], and a word-embedding table.</summary>
    private static string WriteModel(ScratchFolder dir, Storage storage)
    {
        byte[] graph = OnnxProto.Message(o =>
        {
            OnnxProto.Bytes(o, 1, Node("MatMul", ["x", "onnx::MatMul_7"], "mm"));
            OnnxProto.Bytes(o, 1, Node("Add", ["m.layer.dense.bias", "mm"], "y"));
            OnnxProto.Bytes(o, 5, Tensor("m.embeddings.word_embeddings.weight", [2, 2], [0.5f, -1f, 2f, 3f], storage));
            OnnxProto.Bytes(o, 5, Tensor("m.layer.dense.bias", [3], [7f, 8f, 9f], storage));
            OnnxProto.Bytes(o, 5, Tensor("onnx::MatMul_7", [2, 3], [1f, 2f, 3f, 4f, 5f, 6f], Storage.Raw));
        });
        string path = Path.Combine(dir.Path, "model.onnx");
        File.WriteAllBytes(path, OnnxProto.Message(o => OnnxProto.Bytes(o, 7, graph)));
        return path;
    }

    [Theory]
    [InlineData("Raw")]
    [InlineData("PackedFloatData")]
    [InlineData("UnpackedFloatData")]
    public void Every_float_storage_reads_the_same_tensors(string storage)
    {
        using var dir = new ScratchFolder();
        var tensors = OnnxWeights.Read(WriteModel(dir, Enum.Parse<Storage>(storage))).ToDictionary(t => t.Name);
        Assert.Equal(["embeddings.word_embeddings.weight", "layer.dense.bias", "layer.dense.weight"], tensors.Keys.Order());
        Assert.Equal([0.5f, -1f, 2f, 3f], tensors["embeddings.word_embeddings.weight"].Data);
        Assert.Equal([7f, 8f, 9f], tensors["layer.dense.bias"].Data);
        Assert.Equal([3, 2], tensors["layer.dense.weight"].Shape);
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], tensors["layer.dense.weight"].Data);
    }

    [Fact]
    public void External_data_is_refused_with_the_tensor_named()
    {
        using var dir = new ScratchFolder();
        var e = Assert.Throws<ModelLoadException>(() => OnnxWeights.Read(WriteModel(dir, Storage.External)));
        Assert.Contains("external data", e.Message);
    }
}
