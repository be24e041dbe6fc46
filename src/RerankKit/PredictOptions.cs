namespace RerankKit;

/// <summary>Options of <see cref="ICrossEncoder.Predict"/>, named as in sentence-transformers.</summary>
public sealed record PredictOptions
{
    public int BatchSize { get; init; } = 32;

    /// <summary>Null keeps the model's own activation; <see cref="ScoreActivation.Identity"/> gives raw logits.</summary>
    public ScoreActivation? ActivationFn { get; init; }
}
