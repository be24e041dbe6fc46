using System.Globalization;

namespace RerankKit.Retrieval;

/// <summary>Maps code points to <see cref="WordBreakClass"/> as Lucene 4.8 (Unicode 6.3) sees them. .NET exposes only
/// General_Category, so the classes come from the category plus the short explicit lists UAX#29 and the Unicode
/// data files give for everything a category cannot tell (word punctuation, Katakana, Hebrew, Han, Hiragana, the
/// Complex_Context scripts, regional indicators), with characters assigned after Unicode 6.3 made Other.
/// Approximation: categories are this runtime's (Unicode 16 for .NET 10), patched only where a 6.3 character's category
/// has since changed in a way that matters. Every code point of planes 0-3 and 14 has been checked against Lucene.Net;
/// a runtime with newer Unicode data may drift for characters whose category changes or that Unicode adds later.</summary>
internal static class WordBreakClassifier
{
    // Sorted, non-overlapping. Each entry decides the class outright, before any category rule.
    private static readonly (int From, int To, WordBreakClass Class)[] Explicit =
    [
        (0x0022, 0x0022, WordBreakClass.DoubleQuote),
        (0x0027, 0x0027, WordBreakClass.SingleQuote),
        (0x002C, 0x002C, WordBreakClass.MidNum),
        (0x002E, 0x002E, WordBreakClass.MidNumLet),
        (0x003A, 0x003A, WordBreakClass.MidLetter),
        (0x003B, 0x003B, WordBreakClass.MidNum),
        (0x00B7, 0x00B7, WordBreakClass.MidLetter),
        // MODIFIER LETTER MINUS SIGN: MidLetter up to Unicode 6.3 (ALetter since 7.0).
        (0x02D7, 0x02D7, WordBreakClass.MidLetter),
        (0x037E, 0x037E, WordBreakClass.MidNum),
        (0x0387, 0x0387, WordBreakClass.MidLetter),
        (0x0589, 0x0589, WordBreakClass.MidNum),
        (0x05D0, 0x05EA, WordBreakClass.HebrewLetter),
        (0x05F0, 0x05F2, WordBreakClass.HebrewLetter),
        // HEBREW PUNCTUATION GERESH (Po) is ALetter.
        (0x05F3, 0x05F3, WordBreakClass.ALetter),
        (0x05F4, 0x05F4, WordBreakClass.MidLetter),
        (0x060C, 0x060D, WordBreakClass.MidNum),
        (0x066B, 0x066B, WordBreakClass.Numeric),
        (0x066C, 0x066C, WordBreakClass.MidNum),
        (0x07F8, 0x07F8, WordBreakClass.MidNum),
        // Line_Break=Complex_Context: Thai, Lao, Myanmar, Khmer, Tai Le, New Tai Lue, Tai Tham, Tai Viet.
        (0x0E01, 0x0E3A, WordBreakClass.ComplexContext),
        (0x0E40, 0x0E4E, WordBreakClass.ComplexContext),
        (0x0E81, 0x0E82, WordBreakClass.ComplexContext),
        (0x0E84, 0x0E84, WordBreakClass.ComplexContext),
        (0x0E87, 0x0E88, WordBreakClass.ComplexContext),
        (0x0E8A, 0x0E8A, WordBreakClass.ComplexContext),
        (0x0E8D, 0x0E8D, WordBreakClass.ComplexContext),
        (0x0E94, 0x0E97, WordBreakClass.ComplexContext),
        (0x0E99, 0x0E9F, WordBreakClass.ComplexContext),
        (0x0EA1, 0x0EA3, WordBreakClass.ComplexContext),
        (0x0EA5, 0x0EA5, WordBreakClass.ComplexContext),
        (0x0EA7, 0x0EA7, WordBreakClass.ComplexContext),
        (0x0EAA, 0x0EAB, WordBreakClass.ComplexContext),
        (0x0EAD, 0x0EB9, WordBreakClass.ComplexContext),
        (0x0EBB, 0x0EBD, WordBreakClass.ComplexContext),
        (0x0EC0, 0x0EC4, WordBreakClass.ComplexContext),
        (0x0EC6, 0x0EC6, WordBreakClass.ComplexContext),
        (0x0EC8, 0x0ECD, WordBreakClass.ComplexContext),
        (0x0EDC, 0x0EDF, WordBreakClass.ComplexContext),
        (0x1000, 0x103F, WordBreakClass.ComplexContext),
        (0x1050, 0x108F, WordBreakClass.ComplexContext),
        (0x109A, 0x109F, WordBreakClass.ComplexContext),
        (0x1780, 0x17D3, WordBreakClass.ComplexContext),
        (0x17D7, 0x17D7, WordBreakClass.ComplexContext),
        (0x17DC, 0x17DD, WordBreakClass.ComplexContext),
        // Mongolian letters that Unicode 9 turned into marks.
        (0x1885, 0x1886, WordBreakClass.ALetter),
        (0x1950, 0x196D, WordBreakClass.ComplexContext),
        (0x1970, 0x1974, WordBreakClass.ComplexContext),
        (0x1980, 0x19AB, WordBreakClass.ComplexContext),
        // New Tai Lue vowel signs were spacing marks (Extend) until Unicode 8 made them letters.
        (0x19B0, 0x19C0, WordBreakClass.ComplexContextExtend),
        (0x19C1, 0x19C7, WordBreakClass.ComplexContext),
        (0x19C8, 0x19C9, WordBreakClass.ComplexContextExtend),
        (0x19DA, 0x19DA, WordBreakClass.ComplexContext),
        (0x19DE, 0x19DF, WordBreakClass.ComplexContext),
        (0x1A20, 0x1A5E, WordBreakClass.ComplexContext),
        (0x1A60, 0x1A7C, WordBreakClass.ComplexContext),
        (0x1AA0, 0x1AAD, WordBreakClass.ComplexContext),
        // Vedic signs that were spacing marks until Unicode 10 made them letters.
        (0x1CF2, 0x1CF3, WordBreakClass.ExtendOrFormat),
        (0x2018, 0x2019, WordBreakClass.MidNumLet),
        (0x2024, 0x2024, WordBreakClass.MidNumLet),
        (0x2027, 0x2027, WordBreakClass.MidLetter),
        (0x2044, 0x2044, WordBreakClass.MidNum),
        // Circled Latin letters (So, but Other_Alphabetic).
        (0x24B6, 0x24E9, WordBreakClass.ALetter),
        (0x2E80, 0x2E99, WordBreakClass.Ideographic),
        (0x2E9B, 0x2EF3, WordBreakClass.Ideographic),
        (0x2F00, 0x2FD5, WordBreakClass.Ideographic),
        // U+3005 and U+303B are Han but not Ideographic, hence ALetter by category; Lucene's data has U+3006 as Other.
        (0x3006, 0x3006, WordBreakClass.Other),
        (0x3007, 0x3007, WordBreakClass.Ideographic),
        (0x3021, 0x3029, WordBreakClass.Ideographic),
        (0x3031, 0x3035, WordBreakClass.Katakana),
        (0x3038, 0x303A, WordBreakClass.Ideographic),
        (0x3041, 0x3096, WordBreakClass.Hiragana),
        (0x309B, 0x309C, WordBreakClass.Katakana),
        (0x309D, 0x309F, WordBreakClass.Hiragana),
        (0x30A0, 0x30FA, WordBreakClass.Katakana),
        (0x30FC, 0x30FF, WordBreakClass.Katakana),
        (0x31F0, 0x31FF, WordBreakClass.Katakana),
        (0x32D0, 0x32FE, WordBreakClass.Katakana),
        (0x3300, 0x3357, WordBreakClass.Katakana),
        (0x3400, 0x4DB5, WordBreakClass.Ideographic),
        (0x4E00, 0x9FCC, WordBreakClass.Ideographic),
        (0xAA60, 0xAA7B, WordBreakClass.ComplexContext),
        (0xAA80, 0xAAC2, WordBreakClass.ComplexContext),
        (0xAADB, 0xAADF, WordBreakClass.ComplexContext),
        (0xF900, 0xFA6D, WordBreakClass.Ideographic),
        (0xFA70, 0xFAD9, WordBreakClass.Ideographic),
        (0xFB1D, 0xFB1D, WordBreakClass.HebrewLetter),
        (0xFB1F, 0xFB28, WordBreakClass.HebrewLetter),
        (0xFB2A, 0xFB36, WordBreakClass.HebrewLetter),
        (0xFB38, 0xFB3C, WordBreakClass.HebrewLetter),
        (0xFB3E, 0xFB3E, WordBreakClass.HebrewLetter),
        (0xFB40, 0xFB41, WordBreakClass.HebrewLetter),
        (0xFB43, 0xFB44, WordBreakClass.HebrewLetter),
        (0xFB46, 0xFB4F, WordBreakClass.HebrewLetter),
        (0xFE10, 0xFE10, WordBreakClass.MidNum),
        (0xFE13, 0xFE13, WordBreakClass.MidLetter),
        (0xFE14, 0xFE14, WordBreakClass.MidNum),
        (0xFE50, 0xFE50, WordBreakClass.MidNum),
        (0xFE52, 0xFE52, WordBreakClass.MidNumLet),
        (0xFE54, 0xFE54, WordBreakClass.MidNum),
        (0xFE55, 0xFE55, WordBreakClass.MidLetter),
        (0xFF07, 0xFF07, WordBreakClass.MidNumLet),
        (0xFF0C, 0xFF0C, WordBreakClass.MidNum),
        (0xFF0E, 0xFF0E, WordBreakClass.MidNumLet),
        (0xFF1A, 0xFF1A, WordBreakClass.MidLetter),
        (0xFF1B, 0xFF1B, WordBreakClass.MidNum),
        (0xFF66, 0xFF9D, WordBreakClass.Katakana),
        // Halfwidth sound marks are letters (Lm) but Grapheme_Extend.
        (0xFF9E, 0xFF9F, WordBreakClass.ExtendOrFormat),
        (0x1B000, 0x1B000, WordBreakClass.Katakana),
        (0x1B001, 0x1B001, WordBreakClass.Hiragana),
        (0x1F1E6, 0x1F1FF, WordBreakClass.RegionalIndicator),
        (0x1F200, 0x1F200, WordBreakClass.Hiragana),
        (0x20000, 0x2A6D6, WordBreakClass.Ideographic),
        (0x2A700, 0x2B734, WordBreakClass.Ideographic),
        (0x2B740, 0x2B81D, WordBreakClass.Ideographic),
        (0x2F800, 0x2FA1D, WordBreakClass.Ideographic),
    ];

    // Declared after the lists it is built from: static fields initialize in textual order.
    private static readonly WordBreakClass[] Bmp = BuildBmpTable();

    public static WordBreakClass Of(int codePoint) => codePoint < Bmp.Length ? Bmp[codePoint] : Derive(codePoint);

    private static WordBreakClass[] BuildBmpTable()
    {
        var table = new WordBreakClass[0x10000];
        for (int cp = 0; cp < table.Length; cp++)
            table[cp] = Derive(cp);
        return table;
    }

    private static WordBreakClass Derive(int codePoint)
    {
        if (Unicode63.IsUnassigned(codePoint))
            return WordBreakClass.Other;
        var category = CharUnicodeInfo.GetUnicodeCategory(codePoint);
        if (FindExplicit(codePoint) is { } listed)
            return listed == WordBreakClass.ComplexContext && IsMark(category) ? WordBreakClass.ComplexContextExtend : listed;
        return category switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber
                => WordBreakClass.ALetter,
            UnicodeCategory.DecimalDigitNumber => WordBreakClass.Numeric,
            UnicodeCategory.ConnectorPunctuation => WordBreakClass.ExtendNumLet,
            // Zero width space is Format by category but explicitly not by Word_Break.
            UnicodeCategory.Format => codePoint == 0x200B ? WordBreakClass.Other : WordBreakClass.ExtendOrFormat,
            _ when IsMark(category) => WordBreakClass.ExtendOrFormat,
            _ => WordBreakClass.Other,
        };
    }

    private static bool IsMark(UnicodeCategory category) => category is UnicodeCategory.NonSpacingMark
        or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static WordBreakClass? FindExplicit(int codePoint)
    {
        int low = 0, high = Explicit.Length - 1;
        while (low <= high)
        {
            int mid = (low + high) >>> 1;
            var (from, to, wordBreakClass) = Explicit[mid];
            if (codePoint < from) high = mid - 1;
            else if (codePoint > to) low = mid + 1;
            else return wordBreakClass;
        }
        return null;
    }
}
