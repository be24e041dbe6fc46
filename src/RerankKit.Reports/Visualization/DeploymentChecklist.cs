using System.Globalization;

namespace RerankKit.Visualization;

/// <summary>One readiness check: what is measured, the bar it must clear, the value and the outcome.</summary>
public sealed record ChecklistItem(string Name, string Criterion, double Value, bool Passed);

/// <summary>The readiness checklist over <see cref="SimilarityStatistics"/> and a one-line verdict.</summary>
public sealed record DeploymentChecklist(IReadOnlyList<ChecklistItem> Items, string Verdict)
{
    public int PassedCount => Items.Count(i => i.Passed);

    public bool AllPassed => Items.All(i => i.Passed);

    public static DeploymentChecklist Evaluate(SimilarityStatistics s)
    {
        ChecklistItem[] items =
        [
            new("Margin", "mean positive - mean negative > 0.25", s.Margin, s.Margin > 0.25),
            new("Separation", "margin / (std_pos + std_neg) > 2 sigma", s.Separation, s.Separation > 2),
            new("Diagonal mean", "mean positive similarity > 0.8", s.PositiveMean, s.PositiveMean > 0.8),
            new("Off-diagonal mean", "mean negative similarity < 0.6", s.NegativeMean, s.NegativeMean < 0.6),
            new("Positive at rank 1", "> 85% of queries", s.RecallAt1, s.RecallAt1 > 0.85),
            new("Rank-1 to rank-2 gap", "mean gap > 0.1", s.MeanTop1Top2Gap, s.MeanTop1Top2Gap > 0.1),
        ];
        int passed = items.Count(i => i.Passed);
        string failing = string.Join(", ", items.Where(i => !i.Passed).Select(i => i.Name.ToLowerInvariant()));
        string verdict = passed == items.Length
            ? $"Ready to deploy: all {items.Length} checks pass."
            : passed >= items.Length - 2
                ? string.Create(CultureInfo.InvariantCulture, $"Nearly ready: {passed} of {items.Length} checks pass; improve {failing}.")
                : string.Create(CultureInfo.InvariantCulture, $"Not ready: only {passed} of {items.Length} checks pass; train further (failing: {failing}).");
        return new DeploymentChecklist(items, verdict);
    }
}
