using System.Text;

namespace RerankKit.Tokenization.Json;

/// <summary>Text on its way through normalization and pre-tokenization, remembering for every UTF-16 unit of the
/// current text the range of the caller's string it came from, so that token offsets point into that string.</summary>
/// <remarks>Follows the tokenizers library's <c>NormalizedString</c>: a transformation is a list of
/// (character, change) where change 0 replaces the next original character, +1 inserts a character aligned with the
/// previous one and -n also swallows the next n characters. Alignments are kept per UTF-16 unit (the library keeps
/// them per UTF-8 byte) and are absolute positions in the input.</remarks>
public sealed class NormalizedString
{
    private int[] _starts;
    private int[] _ends;

    /// <summary>A fresh string whose text is the original <paramref name="text"/>, which starts at
    /// <paramref name="originalStart"/> in the caller's input.</summary>
    public NormalizedString(string text, int originalStart = 0)
    {
        Text = text;
        OriginalStart = originalStart;
        _starts = new int[text.Length];
        _ends = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            int width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            for (int k = 0; k < width; k++)
            {
                _starts[i + k] = originalStart + i;
                _ends[i + k] = originalStart + i + width;
            }
            i += width - 1;
        }
    }

    private NormalizedString(string text, int[] starts, int[] ends, int originalStart)
    {
        Text = text;
        _starts = starts;
        _ends = ends;
        OriginalStart = originalStart;
    }

    /// <summary>The current (normalized) text.</summary>
    public string Text { get; private set; }

    /// <summary>Where this piece starts in the caller's input.</summary>
    public int OriginalStart { get; }

    public int Length => Text.Length;

    public bool IsEmpty => Text.Length == 0;

    /// <summary>The original range covered by units [start, end) of the current text.</summary>
    public (int Start, int End) ToOriginal(int start, int end) =>
        end > start ? (_starts[start], _ends[end - 1]) : start < _starts.Length ? (_starts[start], _starts[start]) : (OriginalEnd, OriginalEnd);

    private int OriginalEnd => _ends.Length > 0 ? _ends[^1] : OriginalStart;

    /// <summary>Units [start, end) of the current text as a piece of its own, keeping alignments.</summary>
    public NormalizedString Slice(int start, int end)
    {
        int originalStart = end > start ? _starts[start] : OriginalStart;
        return new NormalizedString(Text[start..end], _starts[start..end], _ends[start..end], originalStart);
    }

    /// <summary>Applies a transformation (see the remarks of the type); <paramref name="skipFirst"/> characters at the
    /// start are dropped before it.</summary>
    public void Transform(List<(Rune Rune, int Change)> changes, int skipFirst = 0)
    {
        var text = new StringBuilder(Text.Length + 8);
        var starts = new List<int>(Text.Length + 8);
        var ends = new List<int>(Text.Length + 8);
        int idx = 0;
        for (int k = 0; k < skipFirst; k++)
            idx += Width(idx);
        foreach (var (rune, change) in changes)
        {
            int s, e;
            if (change > 0)
            {
                (s, e) = idx < 1 ? (OriginalStart, OriginalStart) : (_starts[idx - 1], _ends[idx - 1]);
            }
            else
            {
                if (idx >= Text.Length)
                    throw new InvalidOperationException("a normalization consumed more characters than the text has");
                (s, e) = (_starts[idx], _ends[idx]);
                idx += Width(idx);
                for (int k = 0; k < -change; k++)
                    idx += Width(idx);
            }
            int units = rune.Utf16SequenceLength;
            for (int u = 0; u < units; u++)
            {
                starts.Add(s);
                ends.Add(e);
            }
            text.Append(rune.ToString());
        }
        Text = text.ToString();
        _starts = [.. starts];
        _ends = [.. ends];
    }

    /// <summary>Maps every character to a string: the first character of a replacement takes the place of the
    /// original one, the others are inserted after it (the library's <c>map</c>/<c>for_each</c> idiom).</summary>
    public void MapRunes(Func<Rune, string?> map)
    {
        List<(Rune, int)>? changes = null;
        int i = 0;
        foreach (Rune r in Text.EnumerateRunes())
        {
            string? replaced = map(r);
            if (replaced is null && changes is null)
            {
                i++;
                continue;
            }
            if (changes is null)
            {
                changes = new List<(Rune, int)>(Text.Length + 8);
                int k = 0;
                foreach (Rune earlier in Text.EnumerateRunes())
                {
                    if (k++ == i)
                        break;
                    changes.Add((earlier, 0));
                }
            }
            if (replaced is null)
            {
                changes.Add((r, 0));
                continue;
            }
            bool first = true;
            foreach (Rune n in replaced.EnumerateRunes())
            {
                changes.Add((n, first ? 0 : 1));
                first = false;
            }
            if (first)
                throw new InvalidOperationException("MapRunes cannot delete characters; use Filter");
        }
        if (changes is not null)
            Transform(changes);
    }

    /// <summary>Keeps the characters <paramref name="keep"/> accepts; a removed character is charged to the kept one
    /// before it (the library's <c>filter</c>).</summary>
    public void Filter(Func<Rune, bool> keep)
    {
        bool any = false;
        foreach (Rune r in Text.EnumerateRunes())
        {
            if (!keep(r))
            {
                any = true;
                break;
            }
        }
        if (!any)
            return;
        var changes = new List<(Rune, int)>(Text.Length);
        int removed = 0, removedStart = 0;
        Rune? last = null;
        foreach (Rune r in Text.EnumerateRunes())
        {
            if (keep(r))
            {
                if (last is { } l)
                    changes.Add((l, -removed));
                else
                    removedStart = removed;
                last = r;
                removed = 0;
            }
            else
            {
                removed++;
            }
        }
        if (last is { } final)
            changes.Add((final, -removed));
        Transform(changes, removedStart);
    }

    /// <summary>Replaces each range in <paramref name="matches"/> (sorted, disjoint) by <paramref name="content"/>,
    /// every replacement character aligned with the last character of its match (the library's <c>replace</c>).</summary>
    public void ReplaceRanges(IReadOnlyList<(int Start, int End)> matches, string content)
    {
        if (matches.Count == 0)
            return;
        var text = new StringBuilder(Text.Length);
        var starts = new List<int>(Text.Length);
        var ends = new List<int>(Text.Length);
        int last = 0;
        foreach (var (start, end) in matches)
        {
            text.Append(Text, last, start - last);
            starts.AddRange(_starts.AsSpan(last, start - last));
            ends.AddRange(_ends.AsSpan(last, start - last));
            text.Append(content);
            for (int k = 0; k < content.Length; k++)
            {
                starts.Add(_starts[end - 1]);
                ends.Add(_ends[end - 1]);
            }
            last = end;
        }
        text.Append(Text, last, Text.Length - last);
        starts.AddRange(_starts.AsSpan(last));
        ends.AddRange(_ends.AsSpan(last));
        Text = text.ToString();
        _starts = [.. starts];
        _ends = [.. ends];
    }

    /// <summary>Puts <paramref name="prefix"/> in front, aligned with the first character (the library's <c>prepend</c>).</summary>
    public void Prepend(string prefix)
    {
        if (IsEmpty || prefix.Length == 0)
            return;
        var changes = new List<(Rune, int)>(Text.Length + prefix.Length);
        bool first = true;
        foreach (Rune r in prefix.EnumerateRunes())
        {
            changes.Add((r, first ? 0 : 1));
            first = false;
        }
        bool head = true;
        foreach (Rune r in Text.EnumerateRunes())
        {
            changes.Add((r, head ? 1 : 0));
            head = false;
        }
        Transform(changes);
    }

    /// <summary>Removes leading and/or trailing whitespace (the library's <c>lstrip</c>/<c>rstrip</c>).</summary>
    public void Strip(bool left, bool right)
    {
        var runes = Text.EnumerateRunes().ToList();
        int lead = 0;
        if (left)
            while (lead < runes.Count && Rune.IsWhiteSpace(runes[lead]))
                lead++;
        int trail = 0;
        if (right)
            while (trail < runes.Count - lead && Rune.IsWhiteSpace(runes[runes.Count - 1 - trail]))
                trail++;
        if (lead == 0 && trail == 0)
            return;
        var changes = new List<(Rune, int)>(runes.Count);
        for (int i = lead; i < runes.Count - trail; i++)
            changes.Add((runes[i], i == runes.Count - trail - 1 ? -trail : 0));
        Transform(changes, lead);
    }

    private int Width(int idx) =>
        idx < Text.Length && char.IsHighSurrogate(Text[idx]) && idx + 1 < Text.Length && char.IsLowSurrogate(Text[idx + 1]) ? 2 : 1;
}
