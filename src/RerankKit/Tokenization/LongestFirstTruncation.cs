namespace RerankKit.Tokenization;

/// <summary>The <c>longest_first</c> pair truncation of the Hugging Face tokenizers library: the shorter text is
/// kept whole when the longer one can absorb the cut; otherwise both get half of the budget and, for an odd
/// budget, the text that was longer (the second one when they were equally long) keeps the extra token.</summary>
public static class LongestFirstTruncation
{
    /// <summary>Lengths the two texts keep so that together they fit <paramref name="budget"/> tokens
    /// (the budget excludes special tokens).</summary>
    public static (int First, int Second) Lengths(int first, int second, int budget)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(second);
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        if (first + second <= budget)
            return (first, second);

        bool swap = first > second;
        int shorter = swap ? second : first;
        int longer = shorter > budget ? shorter : Math.Max(shorter, budget - shorter);
        if (shorter + longer > budget)
        {
            shorter = budget / 2;
            longer = shorter + budget % 2;
        }
        return swap ? (longer, shorter) : (shorter, longer);
    }
}
