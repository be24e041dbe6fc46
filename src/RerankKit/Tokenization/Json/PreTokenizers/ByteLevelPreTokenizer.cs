using System.Text;

namespace RerankKit.Tokenization.Json.PreTokenizers;

/// <summary><c>ByteLevel</c>: optionally a leading space, optionally GPT-2's split regex (pieces isolated), then
/// every UTF-8 byte of each piece becomes its <see cref="ByteLevelAlphabet"/> character (all aligned with the
/// character the byte belongs to).</summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : IPreTokenizer
{
    internal static readonly TextPattern Gpt2Split =
        TextPattern.FromRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+");

    public void PreTokenize(PreTokenizedString text)
    {
        text.Split(s =>
        {
            if (addPrefixSpace && !s.Text.StartsWith(' '))
                s.Prepend(" ");
            return useRegex ? TextSplitter.Split(s, Gpt2Split.Matches(s.Text), SplitDelimiterBehavior.Isolated, invert: false) : [s];
        });
        text.Normalize(ToBytes);
    }

    internal static void ToBytes(NormalizedString s)
    {
        var changes = new List<(Rune, int)>(s.Length * 2);
        Span<byte> bytes = stackalloc byte[4];
        foreach (Rune r in s.Text.EnumerateRunes())
        {
            int n = r.EncodeToUtf8(bytes);
            for (int k = 0; k < n; k++)
                changes.Add((new Rune(ByteLevelAlphabet.CharOfByte[bytes[k]]), k > 0 ? 1 : 0));
        }
        s.Transform(changes);
    }
}
