using System.Buffers;
using System.Text;
using RerankKit.Tokenization.Json.Normalizers;

namespace RerankKit.Tokenization.Json;

/// <summary>Finds added tokens in the input before the pre-tokenizer and the model see it, as the library's
/// <c>AddedVocabulary::extract_and_normalize</c>: tokens not marked <c>normalized</c> are matched on the original
/// text, the remaining pieces are normalized, then the other tokens (in their normalized form) are matched.
/// Matching is leftmost-longest and non-overlapping.</summary>
internal sealed class AddedVocabulary
{
    private readonly Matcher _raw;
    private readonly Matcher _normalized;
    private readonly INormalizer? _normalizer;
    private readonly SearchValues<char>? _normalizedStarts;

    public AddedVocabulary(IReadOnlyList<AddedToken> tokens, INormalizer? normalizer)
    {
        Tokens = tokens;
        _normalizer = normalizer;
        _raw = new Matcher(tokens.Where(t => !t.Normalized).Select(t => (t.Content, t)));
        var normalized = tokens.Where(t => t.Normalized).Select(t => (NormalizeContent(t.Content, normalizer), t)).ToList();
        _normalized = new Matcher(normalized);
        _normalizedStarts = normalized.Count == 0 ? null : CharsStarting(normalized.Where(p => p.Item1.Length > 0).Select(p => p.Item1[0]).ToHashSet(), normalizer);
    }

    private static SearchValues<char> CharsStarting(HashSet<char> firsts, INormalizer? normalizer)
    {
        var chars = new List<char>();
        for (int c = 0; c <= char.MaxValue; c++)
        {
            char ch = (char)c;
            if (char.IsSurrogate(ch) || firsts.Contains(ch))
            {
                chars.Add(ch);
                continue;
            }
            if (normalizer is null)
                continue;
            var s = new NormalizedString(ch.ToString());
            normalizer.Normalize(s);
            if (s.Text.Length > 0 && firsts.Contains(s.Text[0]))
                chars.Add(ch);
        }
        return SearchValues.Create(chars.ToArray());
    }

    public IReadOnlyList<AddedToken> Tokens { get; }

    /// <summary>False only when no added token can be found in <paramref name="text"/>: none of the tokens matched on
    /// the original text occurs in it, and no character of it can normalize to the first character of one matched
    /// after normalization. A tokenizer that knows nothing of added tokens gives the same ids as this pipeline on
    /// such a text.</summary>
    /// <remarks>The characters that can begin a normalized token are found once by normalizing every BMP character
    /// alone, which is exact for normalizers that map each character on its own (BERT's: clean-up, NFD accent
    /// stripping, lower-casing); every surrogate counts as one, so text outside the BMP always says "may".</remarks>
    public bool MayMatch(string text) =>
        _raw.Occurs(text) || (_normalizedStarts is { } starts && text.AsSpan().IndexOfAny(starts) >= 0);

    public PreTokenizedString ExtractAndNormalize(string text)
    {
        var pre = new PreTokenizedString(new NormalizedString(text));
        pre.Split(s => _raw.Split(s));
        pre.Split(s =>
        {
            _normalizer?.Normalize(s);
            return _normalized.Split(s);
        });
        return pre;
    }

    private static string NormalizeContent(string content, INormalizer? normalizer)
    {
        if (normalizer is null)
            return content;
        var s = new NormalizedString(content);
        normalizer.Normalize(s);
        return s.Text;
    }

    private sealed class Matcher
    {
        private readonly Dictionary<char, (string Pattern, AddedToken Token)[]> _byFirstChar;
        private readonly SearchValues<char> _firstChars;

        public Matcher(IEnumerable<(string Pattern, AddedToken Token)> patterns)
        {
            _byFirstChar = patterns.Where(p => p.Pattern.Length > 0)
                .GroupBy(p => p.Pattern[0])
                .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.Pattern.Length).ToArray());
            _firstChars = SearchValues.Create(_byFirstChar.Keys.ToArray());
        }

        public bool Occurs(string s)
        {
            for (int i = 0; ; i++)
            {
                int next = s.AsSpan(i).IndexOfAny(_firstChars);
                if (next < 0)
                    return false;
                i += next;
                foreach (var c in _byFirstChar[s[i]])
                    if (s.AsSpan(i).StartsWith(c.Pattern, StringComparison.Ordinal))
                        return true;
            }
        }

        public IEnumerable<PreTokenizedString.Piece> Split(NormalizedString text)
        {
            string s = text.Text;
            if (_byFirstChar.Count == 0 || s.Length == 0)
                return [new PreTokenizedString.Piece(text, null)];
            var pieces = new List<PreTokenizedString.Piece>();
            int startOffset = 0;
            int i = 0;
            while (i < s.Length)
            {
                if (!_byFirstChar.TryGetValue(s[i], out var candidates))
                {
                    i++;
                    continue;
                }
                (string Pattern, AddedToken Token)? found = null;
                foreach (var c in candidates)
                {
                    if (i + c.Pattern.Length <= s.Length && string.CompareOrdinal(s, i, c.Pattern, 0, c.Pattern.Length) == 0)
                    {
                        found = c;
                        break;
                    }
                }
                if (found is not { } match)
                {
                    i++;
                    continue;
                }
                int start = i, stop = i + match.Pattern.Length;
                i = stop;
                var token = match.Token;
                if (token.SingleWord)
                {
                    bool startSpace = start == 0 || !EndsWithWord(s, start);
                    bool stopSpace = stop == s.Length || !StartsWithWord(s, stop);
                    if (!startSpace || !stopSpace)
                        continue;
                }
                if (token.LStrip)
                    start = Math.Max(SpaceLeftmostAtEnd(s, start), startOffset);
                if (token.RStrip)
                    stop = SpaceRightmostAtStart(s, stop);
                if (startOffset < start)
                    pieces.Add(new PreTokenizedString.Piece(text.Slice(startOffset, start), null));
                var slice = text.Slice(start, stop);
                pieces.Add(new PreTokenizedString.Piece(slice, [new Token(token.Id, slice.Text, 0, slice.Length)]));
                startOffset = stop;
                i = Math.Max(i, stop);
            }
            if (startOffset != s.Length)
                pieces.Add(new PreTokenizedString.Piece(text.Slice(startOffset, s.Length), null));
            return pieces;
        }

        private static bool EndsWithWord(string s, int end)
        {
            Rune.DecodeLastFromUtf16(s.AsSpan(0, end), out Rune r, out _);
            return CharClass.IsWordChar(r);
        }

        private static bool StartsWithWord(string s, int start)
        {
            Rune.DecodeFromUtf16(s.AsSpan(start), out Rune r, out _);
            return CharClass.IsWordChar(r);
        }

        private static int SpaceLeftmostAtEnd(string s, int end)
        {
            int i = end;
            while (i > 0)
            {
                Rune.DecodeLastFromUtf16(s.AsSpan(0, i), out Rune r, out int n);
                if (!CharClass.IsWhitespace(r))
                    break;
                i -= n;
            }
            return i;
        }

        private static int SpaceRightmostAtStart(string s, int start)
        {
            int i = start;
            while (i < s.Length)
            {
                Rune.DecodeFromUtf16(s.AsSpan(i), out Rune r, out int n);
                if (!CharClass.IsWhitespace(r))
                    break;
                i += n;
            }
            return i;
        }
    }
}
