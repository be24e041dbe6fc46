using RerankKit.Engine;
using RerankKit.Models;
using RerankKit.Tokenization;

namespace RerankKit.Explain;

/// <summary>A cross-encoder on the native engine, which (unlike ONNX Runtime) exposes hidden states, attention
/// probabilities and the backward pass to the word-embedding inputs.</summary>
public sealed class NativeExplainableModel : IExplainableModel
{
    private static readonly ForwardOptions Inspect = new() { KeepHiddenStates = true, KeepAttentions = true };

    public NativeExplainableModel(TransformerModel model)
    {
        if (model.Head == EncoderHead.None)
            throw new ModelLoadException($"{model.Config.Architecture} has no classification head: explanations need a cross-encoder (*ForSequenceClassification)");
        Model = model;
    }

    public TransformerModel Model { get; }

    public ModelConfig Config => Model.Config;

    /// <summary>Loads <c>config.json</c> and <c>model.safetensors</c> from a model folder.</summary>
    public static NativeExplainableModel Load(string folder) => new(TransformerModel.Load(folder));

    public float[] WordEmbeddings(IReadOnlyList<int> inputIds) => Model.WordEmbeddings(inputIds.ToArray());

    public ForwardTrace Forward(EncodedInput input, float[]? wordEmbeddings = null, bool keepAll = true)
    {
        var pass = Model.Forward(ToEngine(input, wordEmbeddings), keepAll ? Inspect : ForwardOptions.Inference);
        return new ForwardTrace(pass.Logits![0], pass.HiddenStates ?? [], pass.Attentions ?? []);
    }

    public ScoreGradient Gradient(EncodedInput input, float[]? wordEmbeddings = null)
    {
        var pass = Model.Forward(ToEngine(input, wordEmbeddings), ForwardOptions.Training);
        // The score is the first label's logit, so d score / d logits is the first unit vector.
        var dLogits = new float[Model.NumLabels];
        dLogits[0] = 1;
        return new ScoreGradient(pass.Logits![0], Model.Backward(pass, dLogits));
    }

    private static EncoderInput ToEngine(EncodedInput input, float[]? wordEmbeddings) =>
        EncoderInput.Single(input.InputIds, input.TokenTypeIds.Length == input.Length ? input.TokenTypeIds : null) with { InputEmbeddings = wordEmbeddings };
}
