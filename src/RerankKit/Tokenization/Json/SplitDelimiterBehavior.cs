namespace RerankKit.Tokenization.Json;

/// <summary>What a splitting pre-tokenizer does with the matches it splits on (the library's
/// <c>SplitDelimiterBehavior</c>).</summary>
internal enum SplitDelimiterBehavior
{
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}
