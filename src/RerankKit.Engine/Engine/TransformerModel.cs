using RerankKit.Models;

namespace RerankKit.Engine;

/// <summary>A BERT or XLM-RoBERTa encoder, optionally with its sequence-classification head, whose parameters
/// carry Hugging Face names. Forward and reverse-mode backward run on flat float arrays. A model may be used
/// by several threads for forward passes at once; training mutates <see cref="Parameters"/> between passes.</summary>
public sealed class TransformerModel
{
    private readonly LayerParameters[] _layers;
    private readonly Parameter _word, _position, _type, _embLnW, _embLnB;
    private readonly Parameter? _headDenseW, _headDenseB, _headOutW, _headOutB;
    private readonly ActivationPool _activations;
    private BackwardScratch? _backwardScratch;
    private int _threads = Environment.ProcessorCount;

    public ModelConfig Config { get; }
    public EncoderHead Head { get; }

    /// <summary>The encoder's name prefix: <c>bert.</c>, <c>roberta.</c> or empty (sentence-transformers' <c>BertModel</c>).</summary>
    public string Prefix { get; }
    public ParameterSet Parameters { get; }
    public GeluKind Activation { get; }
    public int HiddenSize => Config.HiddenSize;
    public int NumLayers => _layers.Length;
    public int NumHeads => Config.NumAttentionHeads;

    /// <summary>Workers a pass may use for its matrix products, attention heads and activations (default: one per
    /// core); the <c>Threads</c> option of a native-engine <see cref="CrossEncoder"/> or <see cref="BiEncoder"/> sets it.</summary>
    public int Threads
    {
        get => _threads;
        set => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "threads must be at least 1");
    }

    /// <summary>Width of <see cref="ForwardPass.Logits"/>; 0 without a head.</summary>
    public int NumLabels => Head == EncoderHead.None ? 0 : _headOutB!.Length;

    private TransformerModel(ModelConfig config, ParameterSet parameters)
    {
        Config = config;
        Parameters = parameters;
        Activation = Gelu.Parse(config.HiddenAct);
        if (config.HiddenSize % config.NumAttentionHeads != 0)
            throw new ModelLoadException($"hidden_size {config.HiddenSize} is not a multiple of num_attention_heads {config.NumAttentionHeads}");
        Prefix = DetectPrefix(parameters);
        Head = DetectHead(config, parameters);
        _word = Get("embeddings.word_embeddings.weight", config.VocabSize, config.HiddenSize);
        _position = Get("embeddings.position_embeddings.weight", config.MaxPositionEmbeddings, config.HiddenSize);
        _type = Get("embeddings.token_type_embeddings.weight", -1, config.HiddenSize);
        _embLnW = Get("embeddings.LayerNorm.weight", config.HiddenSize);
        _embLnB = Get("embeddings.LayerNorm.bias", config.HiddenSize);
        _layers = new LayerParameters[config.NumHiddenLayers];
        for (int i = 0; i < _layers.Length; i++)
            _layers[i] = new LayerParameters(this, $"encoder.layer.{i}.");
        // A training step holds every layer's activations; an embedder's step holds two passes at once.
        _activations = new ActivationPool(2 * _layers.Length + 2);
        string? dense = Head switch
        {
            EncoderHead.BertClassifier => Prefix + "pooler.dense.",
            EncoderHead.RobertaClassifier => "classifier.dense.",
            _ => null,
        };
        string? outProj = Head switch
        {
            EncoderHead.BertClassifier => "classifier.",
            EncoderHead.RobertaClassifier => "classifier.out_proj.",
            _ => null,
        };
        if (dense is not null && outProj is not null)
        {
            _headDenseW = GetExact(dense + "weight", config.HiddenSize, config.HiddenSize);
            _headDenseB = GetExact(dense + "bias", config.HiddenSize);
            _headOutW = GetExact(outProj + "weight", -1, config.HiddenSize);
            _headOutB = GetExact(outProj + "bias", _headOutW.Shape[0]);
        }
    }

    /// <summary>Loads <c>config.json</c> and the weights from a Hugging Face model folder: <c>model.safetensors</c>,
    /// or <c>onnx/model.onnx</c> for a model published only as ONNX.</summary>
    public static TransformerModel Load(string folder)
    {
        string configPath = Path.Combine(folder, "config.json");
        if (!File.Exists(configPath))
            throw new ModelLoadException($"{folder} has no config.json");
        return FromWeights(ModelConfig.Load(configPath), NativeWeights.Require(folder));
    }

    /// <summary>Reads a <c>.safetensors</c> file or an ONNX export, told apart by the extension.</summary>
    public static TransformerModel FromWeights(ModelConfig config, string weightsPath)
    {
        NativeFamilies.Require(config);
        return weightsPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? FromOnnx(config, weightsPath) : FromSafetensors(config, weightsPath);
    }

    public static TransformerModel FromOnnx(ModelConfig config, string onnxPath) =>
        FromParameters(config, new ParameterSet(Import.OnnxWeights.Read(onnxPath).Select(t => new Parameter(LegacyName(t.Name), t.Shape, t.Data))));

    public static TransformerModel FromSafetensors(ModelConfig config, string safetensorsPath)
    {
        using var file = SafetensorsFile.Open(safetensorsPath);
        var parameters = file.Entries
            .Where(e => !e.Name.EndsWith("position_ids", StringComparison.Ordinal) && e.DType is SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.F64)
            .Select(e => new Parameter(LegacyName(e.Name), e.Shape, file.ReadFloat32(e.Name)));
        return FromParameters(config, new ParameterSet(parameters));
    }

    /// <summary>Builds a model over existing tensors (they are used, not copied); the head and name prefix are
    /// inferred from the names present.</summary>
    public static TransformerModel FromParameters(ModelConfig config, ParameterSet parameters)
    {
        NativeFamilies.Require(config);
        try
        {
            return new TransformerModel(config, parameters);
        }
        catch (KeyNotFoundException e)
        {
            throw new ModelLoadException($"the weights do not fit config.json ({e.Message})", e);
        }
    }

    /// <summary>A new model with Hugging Face's initialisation (normal(0, initializer_range) weights, zero biases,
    /// unit LayerNorm), named as <c>from_pretrained</c> would save the config's architecture.</summary>
    public static TransformerModel CreateRandom(ModelConfig config, int seed, float initializerRange = 0.02f) =>
        FromParameters(config, RandomParameters.Create(config, seed, initializerRange));

    /// <summary>Writes the parameters as F32 <c>model.safetensors</c> with their Hugging Face names (atomically).</summary>
    public void SaveSafetensors(string path) => SafetensorsWriter.Write(path, Parameters.Select(p => p.ToTensor()));

    /// <summary>The word-embedding rows of <paramref name="ids"/>, [n, H] (the inputs gradients are taken against).</summary>
    public float[] WordEmbeddings(ReadOnlySpan<int> ids)
    {
        int h = HiddenSize;
        var result = new float[ids.Length * h];
        for (int i = 0; i < ids.Length; i++)
            _word.Data.AsSpan(ids[i] * h, h).CopyTo(result.AsSpan(i * h, h));
        return result;
    }

    public ForwardPass Forward(EncoderInput input, ForwardOptions? options = null)
    {
        options ??= ForwardOptions.Inference;
        int b = input.BatchSize, t = input.SequenceLength, n = b * t, h = HiddenSize, heads = NumHeads;
        int inter = Config.IntermediateSize;
        Validate(input);
        var pass = new ForwardPass(input, options, h);
        var positions = PositionIds(input);
        pass.Positions = positions;

        // Buffers no caller sees come from the pool: a training pass returns them in Backward, inference right here.
        bool training = options.KeepForBackward && !options.KeepHiddenStates;
        bool pingPong = !options.KeepForBackward && !options.KeepHiddenStates;
        var embSum = _activations.RentBuffer(n * h);
        Embeddings.Forward(_word.Data, _position.Data, _type.Data, input.InputIds, positions, input.TokenTypeIds,
            input.InputEmbeddings, embSum, h);
        var embMean = new float[n];
        var embRstd = new float[n];
        // Inference alternates two buffers between layers; layer l writes the second when l is even, and the one the
        // last layer writes goes to the caller, so only the other is pooled.
        bool lastWritesSecond = (_layers.Length - 1) % 2 == 0;
        var x = training || (pingPong && lastWritesSecond) ? _activations.RentBuffer(n * h) : GC.AllocateUninitializedArray<float>(n * h);
        float[]? pooledPingPong = pingPong && lastWritesSecond ? x : null;
        float eps = (float)Config.LayerNormEps;
        LayerNorm.Forward(embSum, _embLnW.Data, _embLnB.Data, x, embMean, embRstd, n, h, eps);
        if (options.KeepForBackward)
        {
            pass.EmbeddingSum = embSum;
            pass.PooledBuffers.Add(embSum);
            if (training)
                pass.PooledBuffers.Add(x);
        }
        else
            _activations.ReturnBuffer(embSum);
        pass.EmbeddingMean = embMean;
        pass.EmbeddingRstd = embRstd;

        var hidden = options.KeepHiddenStates ? new List<float[]> { x } : null;
        var attentions = options.KeepAttentions ? new List<float[]>() : null;
        int probsLength = b * heads * t * t;
        // Inference runs every layer in one set of buffers; a pass kept for backward holds one set per layer until
        // Backward returns them to the pool.
        LayerActivations? shared = options.KeepForBackward ? null : _activations.Rent(n, h, inter, 0);
        float[]? spare = null;
        for (int l = 0; l < _layers.Length; l++)
        {
            var acts = shared ?? _activations.Rent(n, h, inter, probsLength);
            acts.Probs = options.KeepAttentions ? GC.AllocateUninitializedArray<float>(probsLength)
                : options.KeepForBackward ? acts.ProbsBuffer
                : null;
            acts.Input = x;
            // The last output is the caller's LastHiddenState, so it is pooled only when the buffer has its exact length.
            bool pooledOutput = training && (l < _layers.Length - 1 || acts.OutputBuffer.Length == n * h);
            float[] output = pooledOutput ? acts.OutputBuffer
                : spare is not null ? spare
                : pingPong && !lastWritesSecond ? pooledPingPong = _activations.RentBuffer(n * h)
                : GC.AllocateUninitializedArray<float>(n * h);
            acts.Output = output;
            _layers[l].Forward(acts, input.AttentionMask, b, t, h, heads, inter, eps, Activation, _threads);
            if (pingPong)
                spare = x;
            x = output;
            hidden?.Add(x);
            attentions?.Add(acts.Probs!);
            if (options.KeepForBackward)
                pass.Layers.Add(acts);
        }
        if (shared is not null)
            _activations.Return(shared);
        if (pooledPingPong is not null)
            _activations.ReturnBuffer(pooledPingPong);
        pass.LastHiddenState = x;
        pass.HiddenStates = hidden;
        pass.Attentions = attentions;

        if (Head != EncoderHead.None)
        {
            var cls = new float[b * h];
            Pooling.ClsForward(x, cls, b, t, h);
            var dense = new float[b * h];
            Linear.Forward(cls, _headDenseW!.Data, _headDenseB!.Data, dense, b, h, h);
            TanhActivation.Forward(dense, dense);
            var logits = new float[b * NumLabels];
            Linear.Forward(dense, _headOutW!.Data, _headOutB!.Data, logits, b, h, NumLabels);
            pass.HeadInput = cls;
            pass.HeadHidden = dense;
            pass.Logits = logits;
        }
        return pass;
    }

    /// <summary>Reverse-mode pass from d loss / d logits ([B, numLabels]) and/or d loss / d last hidden state
    /// ([B, T, H]). Accumulates parameter gradients into <paramref name="gradients"/> (from
    /// <c>Parameters.ZerosLike()</c>) when given, and returns d loss / d word-embedding vectors fed as inputs, [B, T, H]
    /// (empty when <paramref name="inputGradients"/> is false, as training needs only the parameter gradients).</summary>
    public float[] Backward(ForwardPass pass, float[]? dLogits, float[]? dLastHiddenState = null, ParameterSet? gradients = null,
        bool inputGradients = true)
    {
        if (!pass.Options.KeepForBackward)
            throw new InvalidOperationException("the forward pass was run without ForwardOptions.KeepForBackward");
        if (pass.Layers.Count != _layers.Length)
            throw new InvalidOperationException("the forward pass was already backpropagated (its activations are reused by later passes)");
        var input = pass.Input;
        int b = input.BatchSize, t = input.SequenceLength, n = b * t, h = HiddenSize, heads = NumHeads, inter = Config.IntermediateSize;
        var scratch = Interlocked.Exchange(ref _backwardScratch, null);
        if (scratch is null || !scratch.Fits(n, h, inter))
            scratch = new BackwardScratch(n, h, inter);
        // The top layer reads its d output before it writes its DInput, so that buffer can carry it.
        var dx = BackwardScratch.Take(scratch.DInput, n * h);
        if (dLastHiddenState is not null)
        {
            if (dLastHiddenState.Length != n * h)
                throw new ArgumentException($"dLastHiddenState has {dLastHiddenState.Length} values, expected {n * h}");
            dLastHiddenState.CopyTo(dx, 0);
        }
        if (dLogits is not null)
        {
            if (Head == EncoderHead.None)
                throw new InvalidOperationException("the model has no classification head");
            if (dLogits.Length != b * NumLabels)
                throw new ArgumentException($"dLogits has {dLogits.Length} values, expected {b * NumLabels}");
            var dDense = new float[b * h];
            Linear.Backward(dLogits, pass.HeadHidden, _headOutW!.Data, dDense, G(gradients, _headOutW), G(gradients, _headOutB!), b, h, NumLabels);
            var dDensePre = new float[b * h];
            TanhActivation.Backward(pass.HeadHidden, dDense, dDensePre);
            var dCls = new float[b * h];
            Linear.Backward(dDensePre, pass.HeadInput, _headDenseW!.Data, dCls, G(gradients, _headDenseW), G(gradients, _headDenseB!), b, h, h);
            Pooling.ClsBackward(dCls, dx, b, t, h);
        }
        for (int l = _layers.Length - 1; l >= 0; l--)
            dx = _layers[l].Backward(pass.Layers[l], dx, gradients, scratch, b, t, h, heads, inter, Activation, _threads);

        var dEmb = BackwardScratch.Take(scratch.DLn2In, n * h);
        LayerNorm.Backward(dx, pass.EmbeddingSum, _embLnW.Data, pass.EmbeddingMean, pass.EmbeddingRstd, dEmb,
            G(gradients, _embLnW), G(gradients, _embLnB), n, h);
        var dInputs = inputGradients ? new float[n * h] : [];
        Embeddings.Backward(dEmb, input.InputEmbeddings is null ? input.InputIds : default, pass.Positions, input.TokenTypeIds,
            G(gradients, _word), G(gradients, _position), G(gradients, _type), inputGradients ? dInputs : null, h);
        _backwardScratch = scratch;
        foreach (var acts in pass.Layers)
            _activations.Return(acts);
        pass.Layers.Clear();
        foreach (var buffer in pass.PooledBuffers)
            _activations.ReturnBuffer(buffer);
        pass.PooledBuffers.Clear();
        return dInputs;
    }

    internal Parameter Get(string relative, params int[] shape) => GetExact(Prefix + relative, shape);

    private Parameter GetExact(string name, params int[] shape)
    {
        var p = Parameters[name];
        if (p.Shape.Length != shape.Length || shape.Where((d, i) => d >= 0 && p.Shape[i] != d).Any())
            throw new ModelLoadException($"parameter {name} has shape [{string.Join(",", p.Shape)}], expected [{string.Join(",", shape.Select(d => d < 0 ? "*" : d.ToString()))}] from config.json");
        return p;
    }

    private static float[]? G(ParameterSet? gradients, Parameter p) => gradients?[p.Name].Data;

    private void Validate(EncoderInput input)
    {
        int vocab = _word.Shape[0], types = _type.Shape[0];
        if (input.InputEmbeddings is null)
            foreach (int id in input.InputIds)
                if ((uint)id >= (uint)vocab)
                    throw new ArgumentException($"token id {id} is outside the vocabulary of {vocab}");
        if (input.InputEmbeddings is not null && input.InputEmbeddings.Length != input.InputIds.Length * HiddenSize)
            throw new ArgumentException($"input embeddings have {input.InputEmbeddings.Length} values, expected {input.InputIds.Length * HiddenSize}");
        if (input.TokenTypeIds is not null)
            foreach (int id in input.TokenTypeIds)
                if ((uint)id >= (uint)types)
                    throw new ArgumentException($"token type id {id} is outside the {types} token types");
        int maxPosition = Config.IsRoberta ? Config.PadTokenId + input.SequenceLength : input.SequenceLength - 1;
        if (maxPosition >= _position.Shape[0])
            throw new ArgumentException($"sequence length {input.SequenceLength} exceeds max_position_embeddings {_position.Shape[0]}");
    }

    /// <summary>BERT counts positions from 0; RoBERTa numbers non-pad tokens from pad_token_id + 1 and gives
    /// pad tokens pad_token_id, as <c>create_position_ids_from_input_ids</c> does.</summary>
    private int[] PositionIds(EncoderInput input)
    {
        int b = input.BatchSize, t = input.SequenceLength;
        var positions = new int[b * t];
        int pad = Config.PadTokenId;
        for (int i = 0; i < b; i++)
        {
            int count = 0;
            for (int j = 0; j < t; j++)
            {
                if (!Config.IsRoberta)
                    positions[i * t + j] = j;
                else if (input.InputIds[i * t + j] != pad)
                    positions[i * t + j] = pad + ++count;
                else
                    positions[i * t + j] = pad;
            }
        }
        return positions;
    }

    private static string DetectPrefix(ParameterSet parameters)
    {
        foreach (var p in parameters)
            if (p.Name.EndsWith("embeddings.word_embeddings.weight", StringComparison.Ordinal))
                return p.Name[..^"embeddings.word_embeddings.weight".Length];
        throw new ModelLoadException("the weights have no embeddings.word_embeddings.weight");
    }

    private static EncoderHead DetectHead(ModelConfig config, ParameterSet parameters)
    {
        if (!config.IsSequenceClassification)
            return EncoderHead.None;
        if (parameters.Contains("classifier.out_proj.weight"))
            return EncoderHead.RobertaClassifier;
        if (parameters.Contains("classifier.weight"))
            return EncoderHead.BertClassifier;
        throw new ModelLoadException($"{config.Architecture} weights have no classifier");
    }

    // TF-era BERT checkpoints name LayerNorm parameters gamma and beta.
    private static string LegacyName(string name) =>
        name.EndsWith("LayerNorm.gamma", StringComparison.Ordinal) ? name[..^5] + "weight"
        : name.EndsWith("LayerNorm.beta", StringComparison.Ordinal) ? name[..^4] + "bias"
        : name;
}
