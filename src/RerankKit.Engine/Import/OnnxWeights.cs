using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using RerankKit.Engine;
using RerankKit.Models;
using RerankKit.Onnx;

namespace RerankKit.Import;

/// <summary>Reads a BERT-family encoder's parameters, with their Hugging Face names and [out, in] Linear layout, from
/// an ONNX export (torch.onnx / Optimum / sentence-transformers, or RerankKit's own exporter). Embeddings, biases and
/// LayerNorm weights keep their module names as initializers; a Linear weight is anonymous (<c>onnx::MatMul_316</c>,
/// <c>927</c>, or our <c>….weight.T</c>) and stored [in, out], so it is named after the bias that the Add after its
/// MatMul takes, and transposed back.</summary>
public static class OnnxWeights
{
    private const string WordEmbeddings = "embeddings.word_embeddings.weight";
    private const string BiasSuffix = ".bias";

    // RerankKit's exporter stores only row 0 of a RoBERTa token-type table, the row Hugging Face adds everywhere.
    private const string Row0Suffix = ".row0";

    public static IReadOnlyList<NamedTensor> Read(string path)
    {
        var graph = OnnxGraph.Read(path);
        var floats = graph.Initializers.Where(t => t.DataType is OnnxTensor.Float or OnnxTensor.Float16)
            .GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        if (floats.Values.FirstOrDefault(t => t.External) is { } external)
            throw new ModelLoadException($"{path}: initializer {external.Name} is stored as external data, which the native engine does not read; use a single-file export");
        var consumers = graph.Nodes.SelectMany(n => n.Inputs.Select(input => (input, n))).ToLookup(x => x.input, x => x.n, StringComparer.Ordinal);

        var tensors = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        var linearWeights = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            if (node.OpType == "MatMul" && node.Inputs.Count == 2 && floats.TryGetValue(node.Inputs[1], out var w) && w.Dims.Length == 2)
            {
                string output = node.Outputs[0];
                string bias = consumers[output].Where(n => n.OpType == "Add").SelectMany(n => n.Inputs)
                    .FirstOrDefault(i => i != output && i.EndsWith(BiasSuffix, StringComparison.Ordinal) && floats.ContainsKey(i))
                    ?? throw new ModelLoadException($"{path}: the MatMul weight {w.Name} feeds no Add of a named bias, so its layer is unknown");
                Put(tensors, bias[..^BiasSuffix.Length] + ".weight", Transposed(w, path));
                linearWeights.Add(w.Name);
            }
            else if (node.OpType == "Gemm" && node.Inputs.Count == 3 && floats.TryGetValue(node.Inputs[1], out var g)
                && node.Inputs[2].EndsWith(BiasSuffix, StringComparison.Ordinal))
            {
                bool transB = node.IntAttributes.GetValueOrDefault("transB") != 0;
                Put(tensors, node.Inputs[2][..^BiasSuffix.Length] + ".weight", transB ? Values(g, g.Dims, path) : Transposed(g, path));
                linearWeights.Add(g.Name);
            }
        }
        foreach (var t in floats.Values)
        {
            if (linearWeights.Contains(t.Name) || !IsModuleName(t.Name))
                continue;
            if (t.Name.EndsWith(Row0Suffix, StringComparison.Ordinal))
                Put(tensors, t.Name[..^Row0Suffix.Length], Values(t, [1, .. t.Dims], path));
            else
                Put(tensors, t.Name, Values(t, t.Dims, path));
        }

        string wrapper = WrapperPrefix(tensors.Keys, path);
        return tensors
            .Select(e => e.Value with { Name = e.Key.StartsWith(wrapper, StringComparison.Ordinal) ? e.Key[wrapper.Length..] : e.Key })
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The export's own module prefix (<c>m.</c>, <c>0.auto_model.</c>, <c>model.</c>) in front of the Hugging
    /// Face names, which start at <c>bert.</c>/<c>roberta.</c> for task models and at <c>embeddings.</c> for bare encoders.</summary>
    private static string WrapperPrefix(IEnumerable<string> names, string path)
    {
        string word = names.FirstOrDefault(n => n.EndsWith(WordEmbeddings, StringComparison.Ordinal))
            ?? throw new ModelLoadException($"{path} has no initializer named …{WordEmbeddings}; it is not a BERT-family encoder export");
        string prefix = word[..^WordEmbeddings.Length];
        foreach (string encoder in new[] { "bert.", "roberta." })
            if (prefix == encoder || prefix.EndsWith("." + encoder, StringComparison.Ordinal))
                return prefix[..^encoder.Length];
        return prefix;
    }

    // Module parameters are dotted paths; exporters name constants and folded values otherwise
    // (onnx::Mul_12, /embeddings/Constant_output_0, const_3, 925).
    private static bool IsModuleName(string name) =>
        name.Contains('.') && !name.Contains("::", StringComparison.Ordinal) && !name.Contains('/');

    private static void Put(Dictionary<string, NamedTensor> tensors, string name, NamedTensor tensor)
    {
        if (!tensors.TryAdd(name, tensor with { Name = name }) && !tensors[name].Data.AsSpan().SequenceEqual(tensor.Data))
            throw new ModelLoadException($"the export holds two different tensors for {name}");
    }

    private static NamedTensor Transposed(OnnxTensor t, string path)
    {
        var stored = Values(t, t.Dims, path);
        int rows = stored.Shape[0], cols = stored.Shape[1];
        var result = new float[stored.Data.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                result[c * rows + r] = stored.Data[r * cols + c];
        return new NamedTensor(t.Name, [cols, rows], result);
    }

    private static NamedTensor Values(OnnxTensor t, long[] dims, string path)
    {
        int[] shape = dims.Select(d => checked((int)d)).ToArray();
        int count = NamedTensor.Count(shape);
        int size = t.DataType == OnnxTensor.Float ? sizeof(float) : 2;
        if (t.Data.Length != (long)count * size)
            throw new ModelLoadException($"{path}: initializer {t.Name} has {t.Data.Length} bytes, expected {(long)count * size} for shape [{string.Join(",", shape)}]");
        var data = new float[count];
        if (t.DataType == OnnxTensor.Float)
            MemoryMarshal.Cast<byte, float>(t.Data).CopyTo(data);
        else
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(t.Data), data);
        return new NamedTensor(t.Name, shape, data);
    }
}
