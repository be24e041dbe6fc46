using RerankKit.Engine;
using RerankKit.Models;
using RerankKit.Onnx;

namespace RerankKit.Export;

/// <summary>Builds the ONNX graph of a BERT / XLM-RoBERTa encoder with Hugging Face semantics from its weights.</summary>
internal sealed class EncoderGraph(ModelConfig config, IReadOnlyDictionary<string, NamedTensor> weights)
{
    private readonly OnnxGraphBuilder _g = new("rerankkit_encoder");
    private readonly string _prefix = FindPrefix(config, weights);
    private readonly HashSet<string> _emitted = new(StringComparer.Ordinal);

    public bool UsesTokenTypeIds => !config.IsRoberta;

    public IReadOnlyList<string> InputNames => UsesTokenTypeIds
        ? ["input_ids", "attention_mask", "token_type_ids"]
        : ["input_ids", "attention_mask"];

    public string OutputName => config.IsSequenceClassification ? "logits" : "last_hidden_state";

    public byte[] Build()
    {
        using (_g)
        {
            foreach (var input in InputNames)
                _g.Input(input, OnnxProto.Int64, "batch", "sequence");

            string hidden = Embeddings();
            string maskBias = AttentionMaskBias();
            for (int layer = 0; layer < config.NumHiddenLayers; layer++)
                hidden = Layer(hidden, maskBias, $"{_prefix}encoder.layer.{layer}.");

            if (config.IsSequenceClassification)
            {
                Classifier(hidden);
                _g.Output("logits", OnnxProto.Float, "batch", (long)config.NumLabels);
            }
            else
            {
                _g.Node("Identity", [hidden], output: "last_hidden_state");
                _g.Output("last_hidden_state", OnnxProto.Float, "batch", "sequence", (long)config.HiddenSize);
            }
            return _g.ToGraph();
        }
    }

    private string Embeddings()
    {
        string e = $"{_prefix}embeddings.";
        string words = _g.Node("Gather", [Param(e + "word_embeddings.weight"), "input_ids"]);
        string positions = _g.Node("Gather", [Param(e + "position_embeddings.weight"), PositionIds()]);
        string sum = _g.Node("Add", [words, positions]);
        var typeTable = Tensor(e + "token_type_embeddings.weight");
        string types = UsesTokenTypeIds
            ? _g.Node("Gather", [Param(typeTable.Name), "token_type_ids"])
            // RoBERTa models take no token types; Hugging Face adds row 0 of the table to every position.
            : _g.Weight(typeTable.Name + ".row0", typeTable.Data[..config.HiddenSize], config.HiddenSize);
        sum = _g.Node("Add", [sum, types]);
        return LayerNorm(sum, e + "LayerNorm.");
    }

    private string PositionIds()
    {
        if (config.IsRoberta)
        {
            // create_position_ids_from_input_ids: cumsum(input_ids != pad) * mask + pad.
            string pad = _g.Int64Scalar(config.PadTokenId);
            string isPad = _g.Node("Equal", ["input_ids", pad]);
            string notPad = _g.Node("Cast", [_g.Node("Not", [isPad])], [OnnxProto.IntAttribute("to", OnnxProto.Int64)]);
            string cumsum = _g.Node("CumSum", [notPad, _g.Int64Scalar(1)]);
            return _g.Node("Add", [_g.Node("Mul", [cumsum, notPad]), pad]);
        }
        string shape = _g.Node("Shape", ["input_ids"]);
        string length = _g.Node("Gather", [shape, _g.Int64Scalar(1)], [OnnxProto.IntAttribute("axis", 0)]);
        return _g.Node("Range", [_g.Int64Scalar(0), length, _g.Int64Scalar(1)]);
    }

    /// <summary>(1 - mask) * float.MinValue broadcast to [batch, 1, 1, sequence], as Hugging Face's extended mask.</summary>
    private string AttentionMaskBias()
    {
        string mask = _g.Node("Cast", ["attention_mask"], [OnnxProto.IntAttribute("to", OnnxProto.Float)]);
        string inverted = _g.Node("Sub", [_g.FloatConst(1f), mask]);
        string bias = _g.Node("Mul", [inverted, _g.FloatConst(float.MinValue)]);
        return _g.Node("Unsqueeze", [bias, _g.Int64Const(1, 2)]);
    }

    private string Layer(string x, string maskBias, string p)
    {
        int heads = config.NumAttentionHeads;
        int headDim = config.HiddenSize / heads;
        string splitShape = _g.Int64Const(0, 0, heads, headDim);

        string q = Heads(Linear(x, p + "attention.self.query."), splitShape, [0, 2, 1, 3]);
        string kT = Heads(Linear(x, p + "attention.self.key."), splitShape, [0, 2, 3, 1]);
        string v = Heads(Linear(x, p + "attention.self.value."), splitShape, [0, 2, 1, 3]);

        string scores = _g.Node("Mul", [_g.Node("MatMul", [q, kT]), _g.FloatConst((float)(1.0 / Math.Sqrt(headDim)))]);
        string probs = _g.Node("Softmax", [_g.Node("Add", [scores, maskBias])], [OnnxProto.IntAttribute("axis", -1)]);
        string context = _g.Node("Transpose", [_g.Node("MatMul", [probs, v])], [OnnxProto.IntsAttribute("perm", [0, 2, 1, 3])]);
        context = _g.Node("Reshape", [context, _g.Int64Const(0, 0, config.HiddenSize)]);

        string attention = LayerNorm(_g.Node("Add", [Linear(context, p + "attention.output.dense."), x]), p + "attention.output.LayerNorm.");
        string intermediate = Activation(Linear(attention, p + "intermediate.dense."));
        return LayerNorm(_g.Node("Add", [Linear(intermediate, p + "output.dense."), attention]), p + "output.LayerNorm.");
    }

    private string Heads(string x, string splitShape, long[] perm) =>
        _g.Node("Transpose", [_g.Node("Reshape", [x, splitShape])], [OnnxProto.IntsAttribute("perm", perm)]);

    private void Classifier(string hidden)
    {
        string first = _g.Node("Gather", [hidden, _g.Int64Scalar(0)], [OnnxProto.IntAttribute("axis", 1)]);
        if (config.IsRoberta)
        {
            string dense = _g.Node("Tanh", [Linear(first, "classifier.dense.")]);
            Linear(dense, "classifier.out_proj.", output: "logits");
        }
        else
        {
            string pooled = _g.Node("Tanh", [Linear(first, $"{_prefix}pooler.dense.")]);
            Linear(pooled, "classifier.", output: "logits");
        }
    }

    private string Activation(string x)
    {
        switch (config.HiddenAct)
        {
            case "gelu":
                {
                    // Exact GELU: 0.5 x (1 + erf(x / sqrt 2)).
                    string erf = _g.Node("Erf", [_g.Node("Mul", [x, _g.FloatConst((float)(1.0 / Math.Sqrt(2.0)))])]);
                    string onePlus = _g.Node("Add", [erf, _g.FloatConst(1f)]);
                    return _g.Node("Mul", [_g.Node("Mul", [x, onePlus]), _g.FloatConst(0.5f)]);
                }
            case "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast":
                {
                    string cube = _g.Node("Mul", [_g.Node("Mul", [x, x]), x]);
                    string inner = _g.Node("Add", [x, _g.Node("Mul", [cube, _g.FloatConst(0.044715f)])]);
                    string tanh = _g.Node("Tanh", [_g.Node("Mul", [inner, _g.FloatConst((float)Math.Sqrt(2.0 / Math.PI))])]);
                    string onePlus = _g.Node("Add", [tanh, _g.FloatConst(1f)]);
                    return _g.Node("Mul", [_g.Node("Mul", [x, onePlus]), _g.FloatConst(0.5f)]);
                }
            case "relu":
                return _g.Node("Relu", [x]);
            default:
                throw new ModelLoadException($"hidden_act '{config.HiddenAct}' is not supported by the ONNX exporter (gelu, gelu_new, relu)");
        }
    }

    /// <summary>x W^T + b with the Hugging Face [out, in] weight stored transposed so that MatMul applies it directly.</summary>
    private string Linear(string x, string p, string? output = null)
    {
        var w = Tensor(p + "weight");
        int outFeatures = (int)w.Shape[0], inFeatures = (int)w.Shape[1];
        string name = p + "weight.T";
        if (_emitted.Add(name))
        {
            var transposed = new float[w.Data.Length];
            for (int o = 0; o < outFeatures; o++)
                for (int i = 0; i < inFeatures; i++)
                    transposed[i * outFeatures + o] = w.Data[o * inFeatures + i];
            _g.Weight(name, transposed, inFeatures, outFeatures);
        }
        return _g.Node("Add", [_g.Node("MatMul", [x, name]), Param(p + "bias")], output: output);
    }

    private string LayerNorm(string x, string p) =>
        _g.Node("LayerNormalization", [x, Param(p + "weight"), Param(p + "bias")],
            [OnnxProto.IntAttribute("axis", -1), OnnxProto.FloatAttribute("epsilon", (float)config.LayerNormEps)]);

    private string Param(string name)
    {
        if (_emitted.Add(name))
        {
            var t = Tensor(name);
            _g.Weight(name, t.Data, t.Shape.Select(d => (long)d).ToArray());
        }
        return name;
    }

    private NamedTensor Tensor(string name) =>
        weights.TryGetValue(name, out var t) ? t : throw new ModelLoadException($"model.safetensors has no tensor '{name}'");

    private static string FindPrefix(ModelConfig config, IReadOnlyDictionary<string, NamedTensor> weights)
    {
        foreach (var prefix in new[] { "", "bert.", "roberta.", config.ModelType.Replace('-', '_') + ".", config.ModelType + "." })
            if (weights.ContainsKey(prefix + "embeddings.word_embeddings.weight"))
                return prefix;
        throw new ModelLoadException("model.safetensors has no embeddings.word_embeddings.weight (with or without a bert./roberta. prefix)");
    }
}
