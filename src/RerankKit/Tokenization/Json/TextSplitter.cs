using System.Text;

namespace RerankKit.Tokenization.Json;

/// <summary>Cuts a <see cref="NormalizedString"/> at pattern matches with a <see cref="SplitDelimiterBehavior"/>,
/// as the library's <c>NormalizedString::split</c>; empty pieces are dropped.</summary>
internal static class TextSplitter
{
    /// <summary>Splits at every character <paramref name="isDelimiter"/> accepts (each one is its own match).</summary>
    public static List<NormalizedString> Split(NormalizedString text, Func<Rune, bool> isDelimiter, SplitDelimiterBehavior behavior)
    {
        var matches = new List<(int, int)>();
        string s = text.Text;
        for (int i = 0; i < s.Length;)
        {
            Rune.DecodeFromUtf16(s.AsSpan(i), out Rune r, out int n);
            if (isDelimiter(r))
                matches.Add((i, i + n));
            i += n;
        }
        return Split(text, matches, behavior, invert: false);
    }

    /// <summary>Splits at <paramref name="matches"/> (sorted, disjoint, non-empty); with <paramref name="invert"/> the
    /// text between matches is what counts as the delimiter.</summary>
    public static List<NormalizedString> Split(NormalizedString text, List<(int Start, int End)> matches, SplitDelimiterBehavior behavior, bool invert)
    {
        var pieces = new List<(int Start, int End, bool IsMatch)>(matches.Count * 2 + 1);
        int prev = 0;
        foreach (var (start, end) in matches)
        {
            if (prev != start)
                pieces.Add((prev, start, invert));
            pieces.Add((start, end, !invert));
            prev = end;
        }
        if (prev != text.Length)
            pieces.Add((prev, text.Length, invert));

        var kept = new List<(int Start, int End)>(pieces.Count);
        bool previousMatch = false;
        switch (behavior)
        {
            case SplitDelimiterBehavior.Removed:
                foreach (var p in pieces)
                    if (!p.IsMatch)
                        kept.Add((p.Start, p.End));
                break;
            case SplitDelimiterBehavior.Isolated:
                foreach (var p in pieces)
                    kept.Add((p.Start, p.End));
                break;
            case SplitDelimiterBehavior.MergedWithPrevious:
                foreach (var p in pieces)
                {
                    if (p.IsMatch && !previousMatch && kept.Count > 0)
                        kept[^1] = (kept[^1].Start, p.End);
                    else
                        kept.Add((p.Start, p.End));
                    previousMatch = p.IsMatch;
                }
                break;
            case SplitDelimiterBehavior.MergedWithNext:
                for (int k = pieces.Count - 1; k >= 0; k--)
                {
                    var p = pieces[k];
                    if (p.IsMatch && !previousMatch && kept.Count > 0)
                        kept[^1] = (p.Start, kept[^1].End);
                    else
                        kept.Add((p.Start, p.End));
                    previousMatch = p.IsMatch;
                }
                kept.Reverse();
                break;
            case SplitDelimiterBehavior.Contiguous:
                for (int k = 0; k < pieces.Count; k++)
                {
                    var p = pieces[k];
                    if (k > 0 && p.IsMatch == previousMatch)
                        kept[^1] = (kept[^1].Start, p.End);
                    else
                        kept.Add((p.Start, p.End));
                    previousMatch = p.IsMatch;
                }
                break;
        }

        var result = new List<NormalizedString>(kept.Count);
        foreach (var (start, end) in kept)
            if (end > start)
                result.Add(text.Slice(start, end));
        return result;
    }
}
