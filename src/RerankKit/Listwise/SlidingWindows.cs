namespace RerankKit.Listwise;

/// <summary>The windows a listwise reranker sends, in the order it sends them: RankGPT's sliding window runs from the
/// back of the first-stage list to the front, so a relevant document found low down is carried forward window by
/// window (each window overlaps the next by <c>size - step</c>) and can reach the top.</summary>
public static class SlidingWindows
{
    /// <summary>Half-open <c>[Start, End)</c> position ranges over <paramref name="count"/> documents, back to
    /// front. The last window is clamped to start at 0, so the top of the list is always in one; a list no longer
    /// than <paramref name="size"/> is a single window. (RankGPT's own loop stops before a window that would start
    /// below 0, leaving the first positions out when <c>count - size</c> is not a multiple of <c>step</c>; later
    /// implementations such as rank_llm clamp as here.)</summary>
    public static IReadOnlyList<(int Start, int End)> Plan(int count, int size, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (size < 1)
            throw new ArgumentException($"the window size must be at least 1, not {size}");
        if (step < 1 || step > size)
            throw new ArgumentException($"the window step must be between 1 and the window size ({size}), not {step}");
        var windows = new List<(int, int)>();
        for (int end = count; end > 0; end -= step)
        {
            int start = Math.Max(0, end - size);
            windows.Add((start, end));
            if (start == 0)
                break;
        }
        return windows;
    }
}
