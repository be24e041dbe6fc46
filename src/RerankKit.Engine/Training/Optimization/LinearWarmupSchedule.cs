namespace RerankKit.Training.Optimization;

/// <summary>transformers' <c>get_linear_schedule_with_warmup</c>: the learning rate rises linearly from 0 over the
/// warm-up steps, then falls linearly to 0 at the last step. Step <c>s</c> (0-based) is the s-th optimizer update.</summary>
public sealed record LinearWarmupSchedule(double PeakLearningRate, long WarmupSteps, long TotalSteps)
{
    /// <summary>Warm-up steps as Hugging Face rounds <c>warmup_ratio</c>: ceil(ratio × total).</summary>
    public static LinearWarmupSchedule FromRatio(double peak, double warmupRatio, long totalSteps) =>
        new(peak, (long)Math.Ceiling(warmupRatio * totalSteps), totalSteps);

    public double LearningRateAt(long step)
    {
        if (step < WarmupSteps)
            return PeakLearningRate * step / Math.Max(1, WarmupSteps);
        return PeakLearningRate * Math.Max(0.0, (double)(TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps));
    }
}
