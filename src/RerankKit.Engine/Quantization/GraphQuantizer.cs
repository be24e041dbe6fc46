using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Google.Protobuf;
using RerankKit.Export;
using RerankKit.Import;
using RerankKit.Models;
using RerankKit.Onnx;

namespace RerankKit.Quantization;

/// <summary>Rewrites one GraphProto: every MatMul whose second input is a float [in, out] initializer, and every
/// Gemm with such a weight (alpha = beta = 1, no transA), becomes an int8-weight MatMul whose input is quantized at
/// run time; everything else (Gather embeddings, LayerNorm, attention's activation x activation MatMuls, softmax)
/// is copied unchanged, field by field.</summary>
internal sealed class GraphQuantizer(QuantizationOptions options, string path)
{
    private const string BiasSuffix = ".bias";

    private readonly Regex[] _exclude = options.Exclude.Select(p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))).ToArray();
    private readonly Dictionary<string, (string Values, string Scale)> _quantized = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Values, string Scale, string ZeroPoint)> _dynamicInputs = new(StringComparer.Ordinal);
    private readonly List<byte[]> _newInitializers = [];

    public int Quantized { get; private set; }

    public int Excluded { get; private set; }

    public long QuantizedParameters { get; private set; }

    private sealed record Plan(OnnxTensor Weight, bool Transpose, string? Bias)
    {
        public string? LayerName { get; init; }
    }

    public byte[] Rewrite(ByteString graph)
    {
        var fields = ProtoField.ReadAll(graph.Memory);
        var nodes = fields.Where(f => f.Number == 1).Select(f => OnnxGraph.ReadNode(f.Bytes.CreateCodedInput())).ToList();
        var initializerFields = fields.Where(f => f.Number == 5).Select(f => OnnxGraph.ReadTensor(f.Bytes.CreateCodedInput())).ToList();
        var initializers = initializerFields.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        // An initializer that is also a graph input is a default the caller may override: not a constant weight.
        var graphInputs = fields.Where(f => f.Number == 11).Select(f => f.Text(1)).ToHashSet(StringComparer.Ordinal);
        var consumers = nodes.SelectMany((n, i) => n.Inputs.Select(input => (input, i))).ToLookup(x => x.input, x => x.i, StringComparer.Ordinal);

        var plans = new Dictionary<int, Plan>();
        for (int i = 0; i < nodes.Count; i++)
        {
            if (PlanFor(nodes[i], initializers, graphInputs, consumers, nodes) is not { } plan)
                continue;
            if (Excludes(nodes[i], plan))
            {
                Excluded++;
                continue;
            }
            if (plan.Weight.External)
                throw new ModelLoadException($"{path}: weight {plan.Weight.Name} is stored as external data, which the quantizer does not read; use a single-file export");
            plans[i] = plan;
        }
        if (plans.Count == 0)
            throw new ModelLoadException(Excluded > 0
                ? $"{path}: every MatMul/Gemm weight matches an --exclude pattern; nothing to quantize"
                : $"{path} has no MatMul or Gemm with a float weight initializer (is it already quantized?)");

        // A weight leaves the graph only when every node that reads it now reads its int8 copy.
        var dropped = plans.Values.Select(p => p.Weight.Name).Distinct(StringComparer.Ordinal)
            .Where(w => consumers[w].All(plans.ContainsKey)).ToHashSet(StringComparer.Ordinal);

        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            int node = 0, initializer = 0;
            foreach (var field in fields)
            {
                if (field.Number == 1 && plans.TryGetValue(node++, out var plan))
                {
                    foreach (byte[] replacement in Replace(nodes[node - 1], plan))
                        OnnxProto.Bytes(output, 1, replacement);
                }
                else if (field.Number != 5 || !dropped.Contains(initializerFields[initializer++].Name))
                {
                    field.WriteTo(output);
                }
            }
            foreach (byte[] tensor in _newInitializers)
                OnnxProto.Bytes(output, 5, tensor);
            output.Flush();
        }
        return buffer.ToArray();
    }

    private static Plan? PlanFor(OnnxNode node, Dictionary<string, OnnxTensor> initializers, HashSet<string> graphInputs,
        ILookup<string, int> consumers, List<OnnxNode> nodes)
    {
        if (node.Domain is not ("" or "ai.onnx") || node.Inputs.Count < 2 || initializers.ContainsKey(node.Inputs[0]))
            return null;
        if (!initializers.TryGetValue(node.Inputs[1], out var weight) || weight.DataType != OnnxTensor.Float || weight.Dims.Length != 2
            || graphInputs.Contains(weight.Name))
            return null;
        if (node.OpType == "MatMul" && node.Inputs.Count == 2)
        {
            // The bias Add after the MatMul names the layer (for --exclude), as in OnnxWeights.
            string? bias = consumers[node.Outputs[0]].Select(i => nodes[i]).Where(n => n.OpType == "Add").SelectMany(n => n.Inputs)
                .FirstOrDefault(i => i.EndsWith(BiasSuffix, StringComparison.Ordinal) && initializers.ContainsKey(i));
            return new Plan(weight, Transpose: false, bias) { LayerName = bias?[..^BiasSuffix.Length] };
        }
        if (node.OpType != "Gemm" || node.IntAttributes.GetValueOrDefault("transA") != 0
            || node.FloatAttributes.GetValueOrDefault("alpha", 1f) != 1f || node.FloatAttributes.GetValueOrDefault("beta", 1f) != 1f)
            return null;
        bool transB = node.IntAttributes.GetValueOrDefault("transB") != 0;
        long outFeatures = transB ? weight.Dims[0] : weight.Dims[1];
        string? gemmBias = node.Inputs.Count > 2 && node.Inputs[2].Length > 0 ? node.Inputs[2] : null;
        // DynamicQuantizeMatMul's bias is one value per output column; a Gemm with another C stays in float.
        if (gemmBias is not null && !(initializers.TryGetValue(gemmBias, out var c) && c.DataType == OnnxTensor.Float && c.Dims.SequenceEqual([outFeatures])))
            return null;
        return new Plan(weight, transB, gemmBias)
        {
            LayerName = gemmBias is not null && gemmBias.EndsWith(BiasSuffix, StringComparison.Ordinal) ? gemmBias[..^BiasSuffix.Length] : null,
        };
    }

    private bool Excludes(OnnxNode node, Plan plan) =>
        _exclude.Any(r => r.IsMatch(plan.LayerName ?? "") || r.IsMatch(node.Name) || r.IsMatch(plan.Weight.Name));

    /// <summary>The nodes that replace one MatMul/Gemm; its output keeps its name, so later nodes are unchanged. A
    /// MatMul's own Add after it stays; a Gemm's bias is added by the replacement.</summary>
    private IEnumerable<byte[]> Replace(OnnxNode node, Plan plan)
    {
        var (values, scale) = QuantizedWeight(plan);
        string input = node.Inputs[0], output = node.Outputs[0];
        string name = node.Name.Length > 0 ? node.Name : output;
        // Only a Gemm's bias belongs to the replaced node (a MatMul's bias Add is a node of its own).
        string? bias = node.OpType == "Gemm" ? plan.Bias : null;
        if (options.Form == QuantizedMatMulForm.Fused)
        {
            string[] inputs = bias is null ? [input, values, scale] : [input, values, scale, "", bias];
            yield return OnnxProto.Node("DynamicQuantizeMatMul", name + "_quant", inputs, [output], [], OnnxProto.MicrosoftDomain);
            yield break;
        }

        if (!_dynamicInputs.TryGetValue(input, out var dynamic))
        {
            dynamic = (input + "_quantized", input + "_scale", input + "_zero_point");
            _dynamicInputs[input] = dynamic;
            yield return OnnxProto.Node("DynamicQuantizeLinear", input + "_QuantizeLinear", [input], [dynamic.Values, dynamic.Scale, dynamic.ZeroPoint], []);
        }
        string product = output + "_MatMulInteger", cast = output + "_cast", scales = output + "_scales";
        string scaled = bias is null ? output : output + "_unbiased";
        yield return OnnxProto.Node("MatMulInteger", name + "_MatMulInteger", [dynamic.Values, values, dynamic.ZeroPoint], [product], []);
        yield return OnnxProto.Node("Cast", name + "_cast", [product], [cast], [OnnxProto.IntAttribute("to", OnnxProto.Float)]);
        yield return OnnxProto.Node("Mul", name + "_scales", [dynamic.Scale, scale], [scales], []);
        yield return OnnxProto.Node("Mul", name + "_rescale", [cast, scales], [scaled], []);
        if (bias is not null)
            yield return OnnxProto.Node("Add", name + "_bias", [scaled, bias], [output], []);
    }

    /// <summary>The int8 [in, out] copy of a weight and its scale (scalar, or one per column), made once per weight and
    /// layout; named like ONNX Runtime's quantizer (<c>W_quantized</c>, <c>W_scale</c>).</summary>
    private (string Values, string Scale) QuantizedWeight(Plan plan)
    {
        string suffix = plan.Transpose ? "_transposed" : "";
        string key = plan.Weight.Name + suffix;
        if (_quantized.TryGetValue(key, out var names))
            return names;
        var stored = MemoryMarshal.Cast<byte, float>(plan.Weight.Data);
        int rows = checked((int)plan.Weight.Dims[0]), cols = checked((int)plan.Weight.Dims[1]);
        if (stored.Length != rows * cols)
            throw new ModelLoadException($"{path}: weight {plan.Weight.Name} has {stored.Length} values for shape [{rows},{cols}]");
        float[] weights = plan.Transpose ? Transposed(stored, rows, cols) : stored.ToArray();
        var (inFeatures, outFeatures) = plan.Transpose ? (cols, rows) : (rows, cols);
        var q = Int8Weights.Quantize(weights, inFeatures, outFeatures, options.PerChannel, options.ReduceRange);

        names = (key + "_quantized", key + "_scale");
        _newInitializers.Add(OnnxProto.Tensor(names.Values, OnnxProto.Int8, [inFeatures, outFeatures], MemoryMarshal.AsBytes(q.Values.AsSpan()).ToArray()));
        long[] scaleDims = options.PerChannel ? [outFeatures] : [];
        _newInitializers.Add(OnnxProto.Tensor(names.Scale, OnnxProto.Float, scaleDims, MemoryMarshal.AsBytes(q.Scales.AsSpan()).ToArray()));
        _quantized[key] = names;
        Quantized++;
        QuantizedParameters += weights.Length;
        return names;
    }

    private static float[] Transposed(ReadOnlySpan<float> stored, int rows, int cols)
    {
        var result = new float[stored.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                result[c * rows + r] = stored[r * cols + c];
        return result;
    }
}
