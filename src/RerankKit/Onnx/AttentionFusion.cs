using System.Runtime.InteropServices;
using Google.Protobuf;

namespace RerankKit.Onnx;

/// <summary>Fuses the self-attention blocks of a BERT-family ONNX export from PyTorch (transformers' eager attention,
/// as in sentence-transformers' and Optimum's exports) into ONNX Runtime's <c>com.microsoft</c> operators: with float
/// Q/K/V weights, <c>Attention</c> (one packed [hidden, 3 x hidden] projection, then per (batch, head) the scores,
/// mask, softmax and weighted sum in one pass that stays in cache); with the quantizer's int8 products, which stay,
/// <c>MultiHeadAttention</c> over their outputs. Either replaces writing [batch, heads, S, S] scores to memory three
/// times and transposing Q, K, V and the context. ONNX Runtime's own optimizer fuses LayerNorm, GELU and the QK scale
/// of these graphs but not their attention (it expects other mask subgraphs), and that unfused attention was most of
/// what was not matrix products in an encode (docs/performance.md).
/// <para>Only the exact subgraph below is fused; anything else (other mask forms, attention probabilities used
/// elsewhere, subgraphs, external data) leaves the graph as it was. Nodes the fused ones made dead (the reshapes'
/// shape arithmetic, the replaced projections) are removed, as are the weights only they read.</para></summary>
/// <remarks>The matched subgraph, per layer: <c>Q = Transpose0213(Reshape(Add(P(X, Wq), bq), [B, S, heads, size]))</c>
/// with P a MatMul or DynamicQuantizeMatMul, <c>K^T</c> the same with perm 0,2,3,1, <c>V</c> as <c>Q</c>;
/// <c>Softmax(Add(Div(MatMul(Q, K^T), c) | Mul(.., c), M))</c> times <c>V</c>, then
/// <c>Reshape(Transpose0213(..), [B, S, hidden])</c>; <c>M = Mul(Sub(1, Cast(Unsqueeze(mask, 1, 2))), filter)</c> over
/// the graph's 2-D mask input.</remarks>
internal static class AttentionFusion
{
    /// <summary>Above this the model is not read into memory to look for attention (protobuf's own limit is 2 GiB).</summary>
    public const long MaxModelBytes = int.MaxValue;

    private static readonly long[] HeadsFirst = [0, 2, 1, 3];
    private static readonly long[] KeyTransposed = [0, 2, 3, 1];
    private static readonly string[] SubgraphOperators = ["If", "Loop", "Scan", "SequenceMap"];

    /// <summary>The rewritten ModelProto and how many attention blocks it fused.</summary>
    public sealed record Result(byte[] Model, int Fused);

    /// <summary>One of Q, K, V: <c>Add(Projected, Bias)</c> split into heads, where <c>Projected</c> is a product of the layer
    /// input <c>Input</c> with a weight of <c>InputWidth</c> rows; <c>Weight</c> when that product is a plain float MatMul.</summary>
    private sealed record Projection(string Input, long? InputWidth, string Projected, OnnxTensor? Weight, OnnxTensor Bias, int Heads, int HeadSize);

    /// <summary>One dimension of a Reshape's target: a constant, or dimension <see cref="Index"/> of the value <see cref="Of"/>.</summary>
    private sealed record ShapeEntry(long? Constant, string? Of, long Index)
    {
        /// <summary>Whether this keeps dimension <paramref name="axis"/>: read off a value (every activation here is
        /// [batch, S, ...]) or 0, Reshape's "copy this dimension".</summary>
        public bool IsDimension(int axis) => Of is not null ? Index == axis : Constant == 0;
    }

    private sealed record Match(int ReshapeNode, Projection Q, Projection K, Projection V, float Scale, string Mask, float FilterValue);

    /// <summary>The model with its attention fused, or null when it has nothing this pass fuses.</summary>
    public static Result? TryFuse(byte[] model)
    {
        List<ProtoField> modelFields;
        Graph graph;
        ProtoField? graphField;
        try
        {
            modelFields = ProtoField.ReadAll(model);
            graphField = modelFields.FirstOrDefault(f => f.Number == 7 && f.Type == WireFormat.WireType.LengthDelimited);
            if (graphField is null)
                return null;
            graph = new Graph(ProtoField.ReadAll(graphField.Bytes.Memory));
        }
        catch (Exception e) when (e is InvalidDataException or InvalidProtocolBufferException)
        {
            // Not an ONNX model this pass can read: ONNX Runtime gets the file as it is and says what is wrong with it.
            return null;
        }
        if (graph.Nodes.Any(n => SubgraphOperators.Contains(n.OpType)) || graph.HasExternalData)
            return null;

        var matches = new List<Match>();
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            if (MatchAt(graph, i) is { } match)
                matches.Add(match);
        }
        if (matches.Count == 0 || matches.Select(m => m.Mask).Distinct(StringComparer.Ordinal).Count() != 1)
            return null;

        var newGraph = Rewrite(graph, matches);
        if (modelFields.Where(f => f.Number == 8).All(f => f.Text(1) != OnnxProto.MicrosoftDomain))
            modelFields.Add(ProtoField.Message(8, OnnxProto.Opset(OnnxProto.MicrosoftDomain, 1)));

        // Written straight into one array of the exact size: each fresh 90 MB buffer costs tens of milliseconds in page faults.
        long graphSize = newGraph.Sum(f => (long)f.EncodedSize);
        long size = modelFields.Where(f => !ReferenceEquals(f, graphField)).Sum(f => (long)f.EncodedSize)
            + CodedOutputStream.ComputeTagSize(7) + CodedOutputStream.ComputeLengthSize((int)Math.Min(graphSize, int.MaxValue)) + graphSize;
        if (size > int.MaxValue)
            return null;
        byte[] result = new byte[size];
        var output = new CodedOutputStream(result);
        foreach (var field in modelFields)
        {
            if (!ReferenceEquals(field, graphField))
            {
                field.WriteTo(output);
                continue;
            }
            output.WriteTag(7, WireFormat.WireType.LengthDelimited);
            output.WriteLength((int)graphSize);
            foreach (var part in newGraph)
                part.WriteTo(output);
        }
        output.CheckNoSpaceLeft();
        return new Result(result, matches.Count);
    }

    /// <summary>The attention block whose softmax is node <paramref name="index"/>, if it is exactly the subgraph above.</summary>
    private static Match? MatchAt(Graph g, int index)
    {
        var softmax = g.Nodes[index];
        // The axis must be written: before opset 13 an absent one means 1.
        if (softmax.OpType != "Softmax" || !IsDefaultDomain(softmax) || !softmax.IntAttributes.TryGetValue("axis", out long axis) || axis is not (-1 or 3))
            return null;
        if (g.Producer(softmax.Inputs[0]) is not { OpType: "Add" } maskAdd || !IsDefaultDomain(maskAdd))
            return null;
        (string Input, float Filter)? mask = null;
        string? scores = null;
        for (int side = 0; side < 2 && mask is null; side++)
        {
            mask = MaskOf(g, maskAdd.Inputs[side]);
            scores = maskAdd.Inputs[1 - side];
        }
        if (mask is not { } m || scores is null || ScaledProduct(g, scores) is not { } scaled)
            return null;
        var (product, scale) = scaled;
        if (g.Producer(product) is not { OpType: "MatMul" } qk || !IsDefaultDomain(qk)
            || g.Projection(qk.Inputs[0], HeadsFirst) is not { } q || g.Projection(qk.Inputs[1], KeyTransposed) is not { } k)
            return null;

        if (!g.OnlyConsumer(softmax.Outputs[0], out var weighted) || weighted.OpType != "MatMul" || weighted.Inputs[0] != softmax.Outputs[0]
            || g.Projection(weighted.Inputs[1], HeadsFirst) is not { } v)
            return null;
        if (!g.OnlyConsumer(weighted.Outputs[0], out var contextTranspose) || !IsTranspose(contextTranspose, HeadsFirst))
            return null;
        int reshape = g.Consumers(contextTranspose.Outputs[0]).FirstOrDefault(c => g.Nodes[c].OpType == "Reshape" && g.Nodes[c].Inputs[0] == contextTranspose.Outputs[0], -1);
        if (reshape < 0 || g.ShapeOf(g.Nodes[reshape].Inputs[1]) is not [var batch, var sequence, var width]
            || !batch.IsDimension(0) || !sequence.IsDimension(1))
            return null;

        int hidden = q.Heads * q.HeadSize;
        bool consistent = new[] { k, v }.All(p => p.Input == q.Input && p.Heads == q.Heads && p.HeadSize == q.HeadSize)
            // [batch, S, hidden] written out, inferred (-1), or read off the layer's input when that is as wide.
            && (width.Constant is -1 || width.Constant == hidden || (width.Of == q.Input && width.Index is 2 or -1 && q.InputWidth == hidden));
        return consistent ? new Match(reshape, q, k, v, scale, m.Input, m.Filter) : null;
    }

    /// <summary><c>Div(product, c)</c> or <c>Mul(product, c)</c> with a constant scalar c: the product and its scale.</summary>
    private static (string Product, float Scale)? ScaledProduct(Graph g, string value)
    {
        if (g.Producer(value) is not { } node || !IsDefaultDomain(node) || node.Inputs.Count != 2)
            return null;
        if (node.OpType == "Div" && g.ScalarFloat(node.Inputs[1]) is { } divisor && divisor != 0)
            return (node.Inputs[0], 1 / divisor);
        if (node.OpType != "Mul")
            return null;
        for (int side = 0; side < 2; side++)
        {
            if (g.ScalarFloat(node.Inputs[side]) is { } factor)
                return (node.Inputs[1 - side], factor);
        }
        return null;
    }

    /// <summary><c>Mul(Sub(1, Cast(Unsqueeze(mask, [1, 2]))), filter)</c> over a graph input: the input and the filter value.</summary>
    private static (string Input, float Filter)? MaskOf(Graph g, string value)
    {
        if (g.Producer(value) is not { OpType: "Mul" } mul || !IsDefaultDomain(mul) || mul.Inputs.Count != 2)
            return null;
        for (int side = 0; side < 2; side++)
        {
            if (g.ScalarFloat(mul.Inputs[side]) is not { } filter || g.Producer(mul.Inputs[1 - side]) is not { OpType: "Sub" } sub
                || !IsDefaultDomain(sub) || g.ScalarFloat(sub.Inputs[0]) != 1f)
                continue;
            var axes = new List<long>();
            string current = sub.Inputs[1];
            bool? castToFloat = null;
            while (g.Producer(current) is { } node && IsDefaultDomain(node))
            {
                // Walking back, the first Cast met is the one whose output the Sub reads.
                if (node.OpType == "Cast")
                    castToFloat ??= node.IntAttributes.GetValueOrDefault("to") == OnnxTensor.Float;
                else if (node.OpType == "Unsqueeze" && (node.IntsAttributes.GetValueOrDefault("axes") ?? (node.Inputs.Count > 1 ? g.Ints(node.Inputs[1]) : null)) is { } a)
                    axes.InsertRange(0, a);
                else
                    return null;
                current = node.Inputs[0];
            }
            // Unsqueezed at 1 then 2 (or both at once), the [batch, S] mask broadcasts as [batch, 1, 1, S].
            return castToFloat == true && g.GraphInputs.Contains(current) && axes.SequenceEqual([1L, 2L]) ? (current, filter) : null;
        }
        return null;
    }

    private static bool IsDefaultDomain(OnnxNode node) => node.Domain is "" or "ai.onnx";

    private static bool IsTranspose(OnnxNode node, long[] perm) =>
        node.OpType == "Transpose" && IsDefaultDomain(node) && node.IntsAttributes.GetValueOrDefault("perm") is { } p && p.SequenceEqual(perm);

    /// <summary>The new graph: a Cast of the mask to int32 first, each matched Reshape replaced by its Attention node
    /// (same output name), the concatenated Q/K/V weights and biases added, then every node no graph output depends on
    /// any more removed, with the initializers and value_info only they used.</summary>
    private static List<ProtoField> Rewrite(Graph g, List<Match> matches)
    {
        string mask = matches[0].Mask;
        string maskInt32 = g.UniqueName(mask + "_int32");
        var replacements = new Dictionary<int, byte[]>();
        var newInitializers = new List<byte[]>();
        var newNodes = new List<OnnxNode>();
        foreach (var (match, number) in matches.Select((m, i) => (m, i)))
        {
            string bias = g.UniqueName($"attention_{number}.qkv.bias");
            newInitializers.Add(OnnxProto.Tensor(bias, OnnxProto.Float, [3 * match.Q.Bias.Dims[0]], [.. match.Q.Bias.Data, .. match.K.Bias.Data, .. match.V.Bias.Data]));
            var reshape = g.Nodes[match.ReshapeNode];
            string name = g.UniqueName($"Attention_{number}");
            string opType;
            string[] inputs;
            if (match.Q.Weight is { } q && match.K.Weight is { } k && match.V.Weight is { } v && k.Dims.SequenceEqual(q.Dims) && v.Dims.SequenceEqual(q.Dims))
            {
                // Float weights: one packed [hidden, 3 x hidden] projection inside the fused operator.
                string weight = g.UniqueName($"attention_{number}.qkv.weight");
                int rows = (int)q.Dims[0], columns = (int)q.Dims[1];
                newInitializers.Add(OnnxProto.Tensor(weight, OnnxProto.Float, [rows, 3 * columns], ConcatenateColumns(rows, columns, q, k, v)));
                (opType, inputs) = ("Attention", [match.Q.Input, weight, bias, maskInt32]);
            }
            else
            {
                // Projections that stay as they are (int8 DynamicQuantizeMatMul): only the heads' part is fused.
                (opType, inputs) = ("MultiHeadAttention", [match.Q.Projected, match.K.Projected, match.V.Projected, bias, maskInt32]);
            }
            replacements[match.ReshapeNode] = OnnxProto.Node(opType, name, inputs, [reshape.Outputs[0]],
            [
                OnnxProto.IntAttribute("num_heads", match.Q.Heads),
                OnnxProto.FloatAttribute("scale", match.Scale),
                OnnxProto.FloatAttribute("mask_filter_value", match.FilterValue),
            ], OnnxProto.MicrosoftDomain);
            newNodes.Add(new OnnxNode(opType, inputs, reshape.Outputs, new Dictionary<string, long>()) { Name = name });
        }

        // Liveness, last node first (ONNX nodes are in topological order): a node lives when a live value is among its outputs.
        var live = g.GraphOutputs.ToHashSet(StringComparer.Ordinal);
        var keep = new bool[g.Nodes.Count];
        for (int i = g.Nodes.Count - 1; i >= 0; i--)
        {
            var node = replacements.ContainsKey(i) ? newNodes[matches.FindIndex(m => m.ReshapeNode == i)] : g.Nodes[i];
            if (!node.Outputs.Any(live.Contains))
                continue;
            keep[i] = true;
            live.UnionWith(node.Inputs.Where(x => x.Length > 0));
        }
        var produced = g.Nodes.Where((_, i) => keep[i]).SelectMany(n => n.Outputs).ToHashSet(StringComparer.Ordinal);

        var fields = new List<ProtoField>(g.Fields.Count + newInitializers.Count + 1);
        int nodeIndex = 0;
        foreach (var field in g.Fields)
        {
            switch (field.Number)
            {
                case 1:
                    if (nodeIndex == 0)
                        fields.Add(ProtoField.Message(1, OnnxProto.Node("Cast", maskInt32, [mask], [maskInt32], [OnnxProto.IntAttribute("to", OnnxTensor.Int32)])));
                    int i = nodeIndex++;
                    if (replacements.TryGetValue(i, out var replacement))
                        fields.Add(ProtoField.Message(1, replacement));
                    else if (keep[i])
                        fields.Add(field);
                    break;
                case 5 when !live.Contains(field.Text(8)):
                case 13 when !produced.Contains(field.Text(1)):
                    break;
                default:
                    fields.Add(field);
                    break;
            }
        }
        fields.AddRange(newInitializers.Select(t => ProtoField.Message(5, t)));
        return fields;
    }

    /// <summary>[rows, 3 x columns]: each row is Q's row, then K's, then V's.</summary>
    private static byte[] ConcatenateColumns(int rows, int columns, params OnnxTensor[] weights)
    {
        var result = new float[rows * 3 * columns];
        for (int w = 0; w < weights.Length; w++)
        {
            var values = MemoryMarshal.Cast<byte, float>(weights[w].Data);
            for (int r = 0; r < rows; r++)
                values.Slice(r * columns, columns).CopyTo(result.AsSpan(r * 3 * columns + w * columns, columns));
        }
        return MemoryMarshal.AsBytes(result.AsSpan()).ToArray();
    }

    /// <summary>One GraphProto read for matching: nodes, who produces and who reads each value, and constants
    /// (initializers and Constant nodes).</summary>
    private sealed class Graph
    {
        private readonly Dictionary<string, int> _producers = new(StringComparer.Ordinal);
        private readonly ILookup<string, int> _consumers;
        private readonly Dictionary<string, OnnxTensor> _constantNodes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ProtoField> _initializers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, OnnxTensor> _readInitializers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        public Graph(List<ProtoField> fields)
        {
            Fields = fields;
            Nodes = fields.Where(f => f.Number == 1).Select(f => OnnxGraph.ReadNode(f.Bytes.CreateCodedInput())).ToList();
            GraphInputs = fields.Where(f => f.Number == 11).Select(f => f.Text(1)).ToHashSet(StringComparer.Ordinal);
            GraphOutputs = fields.Where(f => f.Number == 12).Select(f => f.Text(1)).ToList();
            // Initializers are read when a match needs them: most of a model's bytes are weights no pattern looks at.
            foreach (var field in fields.Where(f => f.Number == 5))
            {
                var tensorFields = ProtoField.ReadAll(field.Bytes.Memory);
                HasExternalData |= tensorFields.Any(f => f.Number == 14 && f.Scalar == 1);
                string name = tensorFields.FirstOrDefault(f => f.Number == 8)?.Bytes.ToStringUtf8() ?? "";
                _names.Add(name);
                // An initializer that is also a graph input is a default the caller may override, not a constant.
                if (!GraphInputs.Contains(name))
                    _initializers.TryAdd(name, field);
            }
            for (int i = 0; i < Nodes.Count; i++)
            {
                foreach (string output in Nodes[i].Outputs)
                    _producers[output] = i;
                if (Nodes[i].OpType == "Constant" && Nodes[i].TensorAttributes.TryGetValue("value", out var value))
                    _constantNodes[Nodes[i].Outputs[0]] = value;
                _names.Add(Nodes[i].Name);
                _names.UnionWith(Nodes[i].Outputs);
            }
            _names.UnionWith(GraphInputs);
            _consumers = Nodes.SelectMany((n, i) => n.Inputs.Select(input => (input, i))).ToLookup(x => x.input, x => x.i, StringComparer.Ordinal);
        }

        /// <summary>Whether an initializer keeps its data in another file (such a model is not rewritten in memory).</summary>
        public bool HasExternalData { get; }

        public List<ProtoField> Fields { get; }

        public List<OnnxNode> Nodes { get; }

        public HashSet<string> GraphInputs { get; }

        public List<string> GraphOutputs { get; }

        /// <summary>The constant named <paramref name="value"/>: a Constant node's value or an initializer, read once.</summary>
        public OnnxTensor? Constant(string value)
        {
            if (_constantNodes.TryGetValue(value, out var tensor) || _readInitializers.TryGetValue(value, out tensor))
                return tensor;
            if (!_initializers.TryGetValue(value, out var field))
                return null;
            tensor = OnnxGraph.ReadTensor(field.Bytes.CreateCodedInput());
            _readInitializers[value] = tensor;
            return tensor;
        }

        public OnnxNode? Producer(string value) => _producers.TryGetValue(value, out int i) ? Nodes[i] : null;

        public IEnumerable<int> Consumers(string value) => _consumers[value];

        /// <summary>Whether exactly one node, and no graph output, reads <paramref name="value"/>.</summary>
        public bool OnlyConsumer(string value, out OnnxNode consumer)
        {
            var all = _consumers[value].ToList();
            consumer = all.Count == 1 ? Nodes[all[0]] : null!;
            return all.Count == 1 && !GraphOutputs.Contains(value);
        }

        public float? ScalarFloat(string value) =>
            Constant(value) is { } t && t.DataType == OnnxTensor.Float && t.Data.Length == sizeof(float)
                ? BitConverter.ToSingle(t.Data) : null;

        public long[]? Ints(string value) =>
            Constant(value) is { } t && t.DataType == OnnxTensor.Int64 ? MemoryMarshal.Cast<byte, long>(t.Data).ToArray() : null;

        /// <summary>A Reshape's target shape, one entry per dimension: a constant, or dimension k of some value
        /// (<c>Unsqueeze(Gather(Shape(v), k))</c>, how PyTorch exports <c>x.size(k)</c>), from a constant shape or a Concat of these.</summary>
        public List<ShapeEntry>? ShapeOf(string shape)
        {
            if (Ints(shape) is { } constant)
                return constant.Select(c => new ShapeEntry(c, null, 0)).ToList();
            if (Producer(shape) is not { OpType: "Concat" } concat)
                return null;
            var entries = new List<ShapeEntry>();
            foreach (string part in concat.Inputs)
            {
                if (Ints(part) is { } values)
                    entries.AddRange(values.Select(c => new ShapeEntry(c, null, 0)));
                else if (Producer(part) is { OpType: "Unsqueeze" } unsqueeze && Producer(unsqueeze.Inputs[0]) is { OpType: "Gather" } gather
                    && Producer(gather.Inputs[0]) is { OpType: "Shape" } shapeOf && Ints(gather.Inputs[1]) is [var index]
                    && gather.IntAttributes.GetValueOrDefault("axis") == 0)
                    entries.Add(new ShapeEntry(null, shapeOf.Inputs[0], index));
                else
                    return null;
            }
            return entries;
        }

        /// <summary><c>Transpose(perm)(Reshape(Add(P, b), [batch, S, heads, size]))</c> with b a constant float [heads x size]
        /// and P a product of the layer input and a weight (a MatMul, or the quantizer's DynamicQuantizeMatMul).</summary>
        public Projection? Projection(string value, long[] perm)
        {
            if (Producer(value) is not { } transpose || !IsTranspose(transpose, perm)
                || Producer(transpose.Inputs[0]) is not { OpType: "Reshape" } reshape || !IsDefaultDomain(reshape)
                || ShapeOf(reshape.Inputs[1]) is not [var batch, var sequence, { Constant: > 0 and var heads }, { Constant: > 0 and var size }]
                || !batch.IsDimension(0) || !sequence.IsDimension(1)
                || Producer(reshape.Inputs[0]) is not { OpType: "Add" } add || !IsDefaultDomain(add))
                return null;
            long width = heads * size;
            for (int side = 0; side < 2; side++)
            {
                if (Constant(add.Inputs[side]) is not { DataType: OnnxTensor.Float } bias || !bias.Dims.SequenceEqual([width])
                    || bias.Data.Length != width * sizeof(float) || Producer(add.Inputs[1 - side]) is not { OpType: "MatMul" or "DynamicQuantizeMatMul" } product
                    || product.Inputs.Count < 2 || Constant(product.Inputs[1]) is not { Dims: [var rows, var columns] } weight || columns != width)
                    continue;
                bool plainFloat = product.OpType == "MatMul" && IsDefaultDomain(product) && weight.DataType == OnnxTensor.Float
                    && weight.Data.Length == rows * width * sizeof(float);
                bool known = plainFloat || (product.OpType == "DynamicQuantizeMatMul" && product.Domain == OnnxProto.MicrosoftDomain);
                return known ? new Projection(product.Inputs[0], rows, add.Inputs[1 - side], plainFloat ? weight : null, bias, (int)heads, (int)size) : null;
            }
            return null;
        }

        public string UniqueName(string name)
        {
            string candidate = name;
            for (int i = 1; !_names.Add(candidate); i++)
                candidate = $"{name}_{i}";
            return candidate;
        }
    }
}
