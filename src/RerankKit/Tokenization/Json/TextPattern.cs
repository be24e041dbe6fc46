using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RerankKit.Tokenization.Json;

/// <summary>A tokenizer.json pattern (<c>{"String": …}</c> or <c>{"Regex": …}</c>) that finds non-overlapping
/// matches, left to right, in UTF-16 positions.</summary>
/// <remarks>The library matches on code points (Oniguruma); .NET regexes match UTF-16 units, so a character outside
/// the BMP would be seen as two surrogates and never as a letter or digit. When the text has such characters, the
/// regex runs on a stand-in string where each one is replaced by a BMP character of the same general category
/// (the classes these patterns use: \p{L}, \p{N}, \s, \w), and the matches are mapped back.</remarks>
internal sealed class TextPattern
{
    private static readonly Dictionary<UnicodeCategory, char> StandIn = new()
    {
        [UnicodeCategory.UppercaseLetter] = '\u0100', [UnicodeCategory.LowercaseLetter] = '\u0101',
        [UnicodeCategory.TitlecaseLetter] = '\u01C5', [UnicodeCategory.ModifierLetter] = '\u02B0',
        [UnicodeCategory.OtherLetter] = '\u05D0', [UnicodeCategory.NonSpacingMark] = '\u0300',
        [UnicodeCategory.SpacingCombiningMark] = '\u0903', [UnicodeCategory.EnclosingMark] = '\u0488',
        [UnicodeCategory.DecimalDigitNumber] = '\u0660', [UnicodeCategory.LetterNumber] = '\u2160',
        [UnicodeCategory.OtherNumber] = '\u00B2', [UnicodeCategory.ConnectorPunctuation] = '\u203F',
        [UnicodeCategory.DashPunctuation] = '\u2010', [UnicodeCategory.OpenPunctuation] = '\u2045',
        [UnicodeCategory.ClosePunctuation] = '\u2046', [UnicodeCategory.InitialQuotePunctuation] = '\u00AB',
        [UnicodeCategory.FinalQuotePunctuation] = '\u00BB', [UnicodeCategory.OtherPunctuation] = '\u00A1',
        [UnicodeCategory.MathSymbol] = '\u00AC', [UnicodeCategory.CurrencySymbol] = '\u00A2',
        [UnicodeCategory.ModifierSymbol] = '\u00B4', [UnicodeCategory.OtherSymbol] = '\u00A6',
        [UnicodeCategory.Format] = '\u00AD', [UnicodeCategory.PrivateUse] = '\uE000',
        [UnicodeCategory.OtherNotAssigned] = '\u0378',
    };

    private readonly Regex _regex;

    private TextPattern(Regex regex) => _regex = regex;

    public static TextPattern Literal(string text) => new(new Regex(Regex.Escape(text), RegexOptions.CultureInvariant));

    public static TextPattern FromRegex(string pattern)
    {
        try
        {
            return new TextPattern(new Regex(pattern, RegexOptions.CultureInvariant));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"regex '{pattern}' is not supported: {e.Message}", e);
        }
    }

    public List<(int Start, int End)> Matches(string text)
    {
        var result = new List<(int, int)>();
        if (text.Length == 0)
            return result;
        bool astral = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;
        if (!astral)
        {
            for (var m = _regex.Match(text); m.Success; m = m.NextMatch())
                if (m.Length > 0)
                    result.Add((m.Index, m.Index + m.Length));
            return result;
        }

        var proxy = new StringBuilder(text.Length);
        var position = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length;)
        {
            position.Add(i);
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out Rune r, out int n) == System.Buffers.OperationStatus.Done && n == 2)
                proxy.Append(StandIn.GetValueOrDefault(Rune.GetUnicodeCategory(r), '\u0378'));
            else
                proxy.Append(text[i]);
            i += n;
        }
        position.Add(text.Length);
        for (var m = _regex.Match(proxy.ToString()); m.Success; m = m.NextMatch())
            if (m.Length > 0)
                result.Add((position[m.Index], position[m.Index + m.Length]));
        return result;
    }
}
