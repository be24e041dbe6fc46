using RerankKit.Inference;
using RerankKit.Models;

namespace RerankKit.Engine;

/// <summary>Runs a model folder's <c>model.safetensors</c> (or the weights of its ONNX export) on the native engine
/// instead of ONNX Runtime.</summary>
public sealed class NativeEncoderBackend : IEncoderBackend
{
    public NativeEncoderBackend(string modelFolder)
        : this(TransformerModel.Load(modelFolder))
    {
    }

    public NativeEncoderBackend(TransformerModel model)
    {
        Model = model;
    }

    public TransformerModel Model { get; }

    /// <remarks>The engine checks the token before the run; a forward pass is not interrupted midway.</remarks>
    public float[] RunClassifier(TokenBatch batch, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Model.Head == EncoderHead.None)
            throw new ModelLoadException($"{Model.Config.Architecture} has no sequence-classification head; it cannot score pairs");
        return Model.Forward(EncoderInput.FromTokenBatch(batch)).Logits!;
    }

    public float[] RunHiddenStates(TokenBatch batch, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Model.Forward(EncoderInput.FromTokenBatch(batch)).LastHiddenState;
    }

    public void Dispose()
    {
    }
}
