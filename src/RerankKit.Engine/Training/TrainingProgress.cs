namespace RerankKit.Training;

/// <summary>Reported after every optimizer step.</summary>
public sealed record TrainingProgress(long Step, long TotalSteps, int Epoch, double Loss, double PairsPerSecond, double LearningRate);

/// <summary>Reported after every evaluation; <see cref="IsBest"/> when it produced a new best checkpoint.</summary>
public sealed record EvaluationReport(long Step, EvaluationScores Scores, bool IsBest);

/// <summary>What a training run did.</summary>
public sealed record TrainingSummary(
    long Steps,
    double FinalLoss,
    double PairsPerSecond,
    IReadOnlyList<double> LossHistory,
    IReadOnlyList<EvaluationReport> Evaluations,
    string OutputFolder,
    string? BestFolder);
