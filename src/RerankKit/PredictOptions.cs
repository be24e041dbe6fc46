namespace RerankKit;

/// <summary>Options of <see cref="ICrossEncoder.Predict"/>, named as in sentence-transformers.</summary>
public sealed record PredictOptions
{
    public int BatchSize { get; init; } = 32;

    /// <summary>Null keeps the model's own activation; <see cref="ScoreActivation.Identity"/> gives raw logits.</summary>
    public ScoreActivation? ActivationFn { get; init; }

    /// <summary>For <see cref="CrossEncoder.PredictLabels"/> on a model with several labels: softmax over each pair's
    /// label scores after the activation, as sentence-transformers' <c>apply_softmax</c>.</summary>
    public bool ApplySoftmax { get; init; }
}
