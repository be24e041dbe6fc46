namespace RerankKit.Listwise;

/// <summary>A window's order as read from the model's answer: <see cref="Order"/> always holds each position
/// 0..n-1 exactly once; the counts say what had to be repaired to get there.</summary>
/// <param name="Order">Window positions (0-based), most relevant first.</param>
/// <param name="Duplicates">Identifiers the answer repeated (later repeats are dropped).</param>
/// <param name="Unknown">Identifiers outside [1, n] (ignored).</param>
/// <param name="Missing">Passages the answer left out (appended in their order before this window).</param>
public sealed record ParsedPermutation(IReadOnlyList<int> Order, int Duplicates, int Unknown, int Missing)
{
    /// <summary>True when the answer was not a clean permutation of all n identifiers.</summary>
    public bool Repaired => Duplicates + Unknown + Missing > 0;
}
