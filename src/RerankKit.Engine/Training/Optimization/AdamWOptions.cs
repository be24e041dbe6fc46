namespace RerankKit.Training.Optimization;

/// <summary>torch.optim.AdamW hyper-parameters, with Hugging Face Trainer's defaults.</summary>
public sealed record AdamWOptions
{
    public double LearningRate { get; init; } = 2e-5;
    public double WeightDecay { get; init; } = 0.01;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Epsilon { get; init; } = 1e-8;
}
