using System.Globalization;
using System.Text;

namespace RerankKit.Tokenization.Json.Normalizers;

/// <summary><c>BertNormalizer</c>: drops NUL, U+FFFD and control/format/private-use characters and maps
/// whitespace to a space (clean_text), surrounds CJK ideographs with spaces, strips accents (NFD without
/// non-spacing marks; by default when lower-casing) and lower-cases.</summary>
internal sealed class BertNormalizer(bool cleanText, bool handleChineseChars, bool? stripAccents, bool lowercase) : INormalizer
{
    private static readonly UnicodeFormNormalizer Nfd = new(NormalizationForm.FormD);

    public void Normalize(NormalizedString text)
    {
        if (cleanText)
        {
            text.Filter(r => !(r.Value == 0 || r.Value == 0xFFFD || IsControl(r)));
            text.MapRunes(r => r.Value != ' ' && IsWhitespace(r) ? " " : null);
        }
        if (handleChineseChars)
            SpaceOutChineseChars(text);
        if (stripAccents ?? lowercase)
        {
            Nfd.Normalize(text);
            text.Filter(StripAccentsNormalizer.IsKept);
        }
        if (lowercase)
            text.MapRunes(LowercaseNormalizer.Lower);
    }

    private static void SpaceOutChineseChars(NormalizedString text)
    {
        bool any = false;
        foreach (Rune r in text.Text.EnumerateRunes())
        {
            if (IsChinese(r.Value))
            {
                any = true;
                break;
            }
        }
        if (!any)
            return;
        var changes = new List<(Rune, int)>(text.Length + 16);
        foreach (Rune r in text.Text.EnumerateRunes())
        {
            if (IsChinese(r.Value))
            {
                changes.Add((new Rune(' '), 0));
                changes.Add((r, 1));
                changes.Add((new Rune(' '), 1));
            }
            else
            {
                changes.Add((r, 0));
            }
        }
        text.Transform(changes);
    }

    private static bool IsControl(Rune r) => r.Value is not ('\t' or '\n' or '\r') && CharClass.IsOther(r);

    private static bool IsWhitespace(Rune r) => r.Value is '\t' or '\n' or '\r'
        || Rune.GetUnicodeCategory(r) == UnicodeCategory.SpaceSeparator;

    // The tokenizers library's ranges (0x2B920 where the Python BertTokenizer has 0x2B820).
    internal static bool IsChinese(int cp) => cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF
        or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F
        or >= 0x2B920 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
