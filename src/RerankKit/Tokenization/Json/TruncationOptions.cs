namespace RerankKit.Tokenization.Json;

/// <summary>How a text or pair is cut to <see cref="MaxLength"/> tokens in all (special tokens included, and kept).</summary>
public sealed record TruncationOptions(int MaxLength, TruncationStrategy Strategy = TruncationStrategy.LongestFirst,
    TruncationDirection Direction = TruncationDirection.Right);

/// <summary>The library's truncation strategies: take tokens from the longer text first, or only from one of them.</summary>
public enum TruncationStrategy
{
    LongestFirst,
    OnlyFirst,
    OnlySecond,
}

/// <summary>Which end of a text loses tokens.</summary>
public enum TruncationDirection
{
    Right,
    Left,
}
