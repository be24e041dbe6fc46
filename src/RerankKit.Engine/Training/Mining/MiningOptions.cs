using RerankKit.Training.Data;

namespace RerankKit.Training.Mining;

public enum SamplingStrategy
{
    /// <summary>The best-scoring eligible candidates.</summary>
    Top,

    /// <summary>A uniform sample of the eligible candidates.</summary>
    Random,
}

/// <summary>Options of <see cref="HardNegativeMiner"/>, named after sentence-transformers' <c>mine_hard_negatives</c>.</summary>
public sealed record MiningOptions
{
    /// <summary>Negatives per (query, positive) row.</summary>
    public int NumNegatives { get; init; } = 5;

    /// <summary>Skip this many of the best non-positive candidates (they are often unlabeled positives).</summary>
    public int RangeMin { get; init; }

    /// <summary>Consider candidates up to this rank (exclusive) among the non-positive candidates.</summary>
    public int RangeMax { get; init; } = 50;

    /// <summary><c>absolute_margin</c>: a negative must score at least this much below the row's positive.</summary>
    public float? Margin { get; init; }

    /// <summary><c>relative_margin</c>: a negative may score at most (1 - this) times the row's positive score, so 0.05
    /// keeps candidates scoring at most 95% of the positive (for a positive score; sentence-transformers applies the
    /// same formula). With <see cref="Margin"/> both filters apply.</summary>
    public float? RelativeMargin { get; init; }

    /// <summary>Candidates scoring above this are not negatives.</summary>
    public float? MaxScore { get; init; }

    /// <summary>Candidates scoring below this are not negatives.</summary>
    public float? MinScore { get; init; }

    public SamplingStrategy Sampling { get; init; } = SamplingStrategy.Top;

    public TrainingFormat Format { get; init; } = TrainingFormat.Triplet;

    /// <summary>Seed of random sampling.</summary>
    public ulong Seed { get; init; } = 12;
}
