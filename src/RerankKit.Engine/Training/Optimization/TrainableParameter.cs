namespace RerankKit.Training.Optimization;

/// <summary>One parameter tensor by its Hugging Face name, its values and the gradient accumulated for them.</summary>
public sealed record TrainableParameter(string Name, float[] Value, float[] Gradient)
{
    /// <summary>Hugging Face's Trainer applies weight decay to every parameter except biases and LayerNorm weights.</summary>
    public bool DecaysWeight => !Name.EndsWith("bias", StringComparison.Ordinal)
        && !Name.Contains("LayerNorm", StringComparison.Ordinal)
        && !Name.Contains("layer_norm", StringComparison.Ordinal);
}
