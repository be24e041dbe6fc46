using RerankKit.Training.Objectives;

namespace RerankKit.Training;

/// <summary>Hyper-parameters of <see cref="Trainer"/>, named after Hugging Face's TrainingArguments.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 1;

    /// <summary>Training rows per optimizer step (labeled pairs for BCE, queries with their documents otherwise).</summary>
    public int BatchSize { get; init; } = 16;

    public double LearningRate { get; init; } = 2e-5;

    public double WarmupRatio { get; init; } = 0.1;

    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Global gradient-norm clipping (<c>max_grad_norm</c>).</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    public int Seed { get; init; } = 42;

    /// <summary>Tokens per sequence (a reranker's pair, or one text of an embedder), special tokens included.</summary>
    public int MaxLength { get; init; } = 256;

    /// <summary>The reranker's loss; an embedder always trains with MultipleNegativesRankingLoss.</summary>
    public CrossEncoderLoss Loss { get; init; } = CrossEncoderLoss.Bce;

    /// <summary>BCE only: the weight of positive pairs (PyTorch's <c>pos_weight</c>); sentence-transformers' BCE
    /// examples set it to the number of negatives per positive.</summary>
    public double PosWeight { get; init; } = 1;

    /// <summary>Evaluate (and keep the best checkpoint) every this many steps; 0 evaluates at each epoch's end.</summary>
    public int EvalSteps { get; init; }

    /// <summary>Write the resumable checkpoint every this many steps; 0 writes it at each evaluation and epoch end.</summary>
    public int SaveSteps { get; init; }
}
