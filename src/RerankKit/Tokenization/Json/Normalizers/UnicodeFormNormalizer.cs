using System.Globalization;
using System.Text;

namespace RerankKit.Tokenization.Json.Normalizers;

/// <summary>NFC, NFD, NFKC or NFKD through <see cref="string.Normalize(NormalizationForm)"/>.</summary>
/// <remarks>The BCL gives no alignment, so the text is normalized in runs that start at a character that is not a
/// combining mark (marks and Hangul vowel/final jamo join the run before them); within a run, a shorter result is
/// charged to its first character and a longer one inserts after the run, which is how the library's
/// normalization iterator reports a composition or a decomposition. If run-wise normalization ever differs from
/// normalizing the whole text, the whole text is treated as one run, so the text is always exactly right.</remarks>
internal sealed class UnicodeFormNormalizer(NormalizationForm form) : INormalizer
{
    public NormalizationForm Form { get; } = form;

    public void Normalize(NormalizedString text)
    {
        string s = text.Text;
        if (s.Length == 0 || IsNormalized(s))
            return;
        string whole = Normalize(s);
        var changes = new List<(Rune, int)>(whole.Length + 4);
        var rebuilt = new StringBuilder(whole.Length);
        int i = 0;
        while (i < s.Length)
        {
            int end = i + RuneWidth(s, i);
            while (end < s.Length && JoinsPrevious(s, end))
                end += RuneWidth(s, end);
            string run = s[i..end];
            string normalized = IsNormalized(run) ? run : Normalize(run);
            rebuilt.Append(normalized);
            AddRun(changes, run, normalized);
            i = end;
        }
        if (rebuilt.ToString() != whole)
        {
            changes.Clear();
            AddRun(changes, s, whole);
        }
        text.Transform(changes);
    }

    // ICU refuses noncharacters (U+FFFE, U+FDD0…) and lone surrogates; they never change under normalization
    // and never combine, so the text between them is normalized on its own.
    private bool IsNormalized(string s) => !HasRefused(s) ? s.IsNormalized(Form) : Normalize(s) == s;

    private string Normalize(string s)
    {
        if (!HasRefused(s))
            return s.Normalize(Form);
        var result = new StringBuilder(s.Length);
        int start = 0;
        for (int i = 0; i < s.Length;)
        {
            int width = RuneWidth(s, i);
            if (IsRefused(s, i, width))
            {
                result.Append(s.AsSpan(start, i - start).ToString().Normalize(Form)).Append(s, i, width);
                start = i + width;
            }
            i += width;
        }
        result.Append(s[start..].Normalize(Form));
        return result.ToString();
    }

    private static bool HasRefused(string s)
    {
        for (int i = 0; i < s.Length;)
        {
            int width = RuneWidth(s, i);
            if (IsRefused(s, i, width))
                return true;
            i += width;
        }
        return false;
    }

    private static bool IsRefused(string s, int i, int width)
    {
        if (width == 1 && char.IsSurrogate(s[i]))
            return true;
        int cp = width == 2 ? char.ConvertToUtf32(s[i], s[i + 1]) : s[i];
        return (cp & 0xFFFE) == 0xFFFE || cp is >= 0xFDD0 and <= 0xFDEF;
    }

    private static void AddRun(List<(Rune, int)> changes, string run, string normalized)
    {
        int n = CountRunes(run);
        int m = CountRunes(normalized);
        int k = 0;
        foreach (Rune r in normalized.EnumerateRunes())
        {
            int change = m <= n ? (k == 0 ? m - n : 0) : (k < n ? 0 : 1);
            changes.Add((r, change));
            k++;
        }
    }

    private static int CountRunes(string s)
    {
        int count = 0;
        foreach (Rune _ in s.EnumerateRunes())
            count++;
        return count;
    }

    private static int RuneWidth(string s, int i) =>
        char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;

    private static bool JoinsPrevious(string s, int i)
    {
        Rune.DecodeFromUtf16(s.AsSpan(i), out Rune r, out _);
        if (r.Value is >= 0x1160 and <= 0x11FF)
            return true;
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.EnclosingMark;
    }
}
