using System.Globalization;
using System.Text;

namespace RerankKit.Tokenization.Json.Normalizers;

/// <summary><c>Precompiled</c>: SentencePiece's compiled normalization rules, applied as the tokenizers library
/// does: a grapheme cluster shorter than 6 UTF-8 bytes is looked up whole (taking the first rule that matches a
/// prefix of it), otherwise or when nothing matches each of its characters is looked up on its own.</summary>
internal sealed class PrecompiledNormalizer(PrecompiledCharsMap map) : INormalizer
{
    public void Normalize(NormalizedString text)
    {
        string s = text.Text;
        var changes = new List<(Rune, int)>(s.Length + 8);
        bool modified = false;
        Span<byte> buffer = stackalloc byte[64];
        var graphemes = StringInfo.GetTextElementEnumerator(s);
        while (graphemes.MoveNext())
        {
            string grapheme = (string)graphemes.Current;
            int byteCount = Encoding.UTF8.GetByteCount(grapheme);
            if (byteCount < 6 && Lookup(grapheme, buffer) is { } whole)
            {
                modified = true;
                Replace(changes, grapheme, whole);
                continue;
            }
            foreach (Rune r in grapheme.EnumerateRunes())
            {
                string part = r.ToString();
                if (Lookup(part, buffer) is { } replaced)
                {
                    modified = true;
                    Replace(changes, part, replaced);
                }
                else
                {
                    changes.Add((r, 0));
                }
            }
        }
        if (modified)
            text.Transform(changes);
    }

    private string? Lookup(string chunk, Span<byte> buffer)
    {
        int n = Encoding.UTF8.GetBytes(chunk, buffer);
        return map.ShortestMatch(buffer[..n], out var replacement) ? Encoding.UTF8.GetString(replacement) : null;
    }

    // The library's bookkeeping, kept as is because offsets depend on it: extra characters are inserts, and a
    // shorter replacement charges the difference to the last change recorded so far (even one of an earlier
    // character, and none at all at the very start).
    private static void Replace(List<(Rune Rune, int Change)> changes, string oldPart, string newPart)
    {
        int oldCount = oldPart.EnumerateRunes().Count();
        int newCount = 0;
        foreach (Rune r in newPart.EnumerateRunes())
        {
            changes.Add((r, 0));
            newCount++;
        }
        int diff = newCount - oldCount;
        if (diff > 0)
        {
            for (int k = changes.Count - diff; k < changes.Count; k++)
                changes[k] = (changes[k].Rune, 1);
        }
        else if (diff < 0 && changes.Count > 0)
        {
            changes[^1] = (changes[^1].Rune, changes[^1].Change + diff);
        }
    }
}
