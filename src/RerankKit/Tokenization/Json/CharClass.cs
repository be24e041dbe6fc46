using System.Globalization;
using System.Text;

namespace RerankKit.Tokenization.Json;

/// <summary>The character classes of the tokenizers library (Rust's <c>char</c> predicates and its own helpers).</summary>
internal static class CharClass
{
    /// <summary>Rust's <c>char::is_whitespace</c> (the White_Space property; the same set as .NET's).</summary>
    public static bool IsWhitespace(Rune r) => Rune.IsWhiteSpace(r);

    /// <summary>ASCII punctuation or punctuation in the library's tables, as the BERT and Punctuation pre-tokenizers use.</summary>
    public static bool IsPunctuation(Rune r) => r.Value < 0x80
        ? r.Value is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126
        : InRanges(LibraryCharTables.Punctuation, r.Value);

    /// <summary>Control, format or private-use in the library's tables (what BERT's clean_text drops).</summary>
    public static bool IsOther(Rune r) => InRanges(LibraryCharTables.Other, r.Value);

    /// <summary>A non-spacing mark in the library's tables (what accent stripping drops).</summary>
    public static bool IsNonSpacingMark(Rune r) => r.Value >= 0x300 && InRanges(LibraryCharTables.NonSpacingMark, r.Value);

    private static bool InRanges(int[] ranges, int cp)
    {
        int lo = 0, hi = ranges.Length / 2 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (cp < ranges[2 * mid])
                hi = mid - 1;
            else if (cp > ranges[2 * mid + 1])
                lo = mid + 1;
            else
                return true;
        }
        return false;
    }

    /// <summary>Rust's <c>char::is_numeric</c>: Nd, Nl or No.</summary>
    public static bool IsNumeric(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.DecimalDigitNumber
        or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    /// <summary>A regex word character (\w): letters, marks, decimal digits and connector punctuation.</summary>
    public static bool IsWordChar(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.UppercaseLetter
        or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter
        or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
        or UnicodeCategory.EnclosingMark or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;
}
