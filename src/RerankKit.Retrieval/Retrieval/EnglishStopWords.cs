using System.Collections.Frozen;

namespace RerankKit.Retrieval;

/// <summary>Lucene's default English stop words (StandardAnalyzer.STOP_WORDS_SET, which EnglishAnalyzer uses), matched
/// against lower-cased terms.</summary>
internal static class EnglishStopWords
{
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Words = new[]
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
        "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
    }.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool Contains(ReadOnlySpan<char> term) => Words.Contains(term);
}
