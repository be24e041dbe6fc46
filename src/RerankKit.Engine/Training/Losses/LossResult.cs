namespace RerankKit.Training.Losses;

/// <summary>A loss value (mean over the batch) and its gradient with respect to the loss's inputs.</summary>
public sealed record LossResult(double Loss, float[] Gradient);
