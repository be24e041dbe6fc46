using System.Text;

namespace RerankKit.Tokenization.Json.PreTokenizers;

/// <summary><c>Metaspace</c>: spaces become the replacement character (▁), which is put in front of the text
/// (always, for the first piece of the input only, or never) and, with <c>split</c>, starts each new piece.</summary>
internal sealed class MetaspacePreTokenizer(Rune replacement, MetaspacePreTokenizer.Prepend prependScheme, bool split) : IPreTokenizer
{
    internal enum Prepend { Always, First, Never }

    private readonly string _replacement = replacement.ToString();

    public void PreTokenize(PreTokenizedString text) => text.Split(s =>
    {
        int spaces = s.Text.Count(c => c == ' ');
        if (spaces > 0)
        {
            var matches = new List<(int, int)>(spaces);
            for (int i = 0; i < s.Length; i++)
                if (s.Text[i] == ' ')
                    matches.Add((i, i + 1));
            s.ReplaceRanges(matches, _replacement);
        }
        bool startsWithReplacement = s.Text.StartsWith(_replacement, StringComparison.Ordinal);
        if (!startsWithReplacement && (prependScheme == Prepend.Always || (prependScheme == Prepend.First && s.OriginalStart == 0)))
            s.Prepend(_replacement);
        return split ? TextSplitter.Split(s, r => r == replacement, SplitDelimiterBehavior.MergedWithNext) : [s];
    });
}
