namespace RerankKit.Tokenization.Json;

/// <summary>The library's <c>truncate_encodings</c>: cuts one or two sequences (before special tokens are added) to
/// <c>maxLength</c> tokens in all.</summary>
/// <remarks>For <c>longest_first</c> pairs, version 0.23 compares the texts' lengths after capping each at the
/// caller's whole max_length, in whole words (it stops tokenizing a text once it has that many tokens). Measured on
/// the library with max_length 64: one-token words 65 + 64 keep 30 + 31 (both capped to 64, equal), 64 + 63 keep
/// 31 + 30, and a single 68-token word against 203 one-token words keeps 31 + 30 (68 against 64).</remarks>
internal static class PairTruncation
{
    public static void Apply(WorkingEncoding first, WorkingEncoding? second, int maxLength, int requestedMaxLength, TruncationStrategy strategy, TruncationDirection direction)
    {
        if (maxLength == 0)
        {
            first.Truncate(0, direction);
            second?.Truncate(0, direction);
            return;
        }
        int total = first.Count + (second?.Count ?? 0);
        if (total <= maxLength)
            return;
        int toRemove = total - maxLength;
        switch (strategy)
        {
            case TruncationStrategy.LongestFirst when second is not null:
                var (n1, n2) = LongestFirstTruncation.Lengths(first.CountWholeWordsReaching(requestedMaxLength), second.CountWholeWordsReaching(requestedMaxLength), maxLength);
                first.Truncate(n1, direction);
                second.Truncate(n2, direction);
                break;
            case TruncationStrategy.LongestFirst:
                first.Truncate(maxLength, direction);
                break;
            default:
                var target = strategy == TruncationStrategy.OnlyFirst
                    ? first
                    : second ?? throw new ArgumentException("Truncation error: Second sequence not provided");
                if (target.Count <= toRemove)
                    throw new ArgumentException("Truncation error: Sequence to truncate too short to respect the provided max_length");
                target.Truncate(target.Count - toRemove, direction);
                break;
        }
    }
}
