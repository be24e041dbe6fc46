namespace RerankKit.Tokenization;

/// <summary>A WordPiece vocabulary with greedy longest-match-first segmentation, as Hugging Face's WordPiece
/// model does it: continuation pieces carry <c>##</c>, a word with no full segmentation or longer than
/// <c>max_input_chars_per_word</c> code points becomes the unknown token.</summary>
internal sealed class WordPieceVocabulary
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _wordStarts;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _continuations;
    private readonly int _longestStart;
    private readonly int _longestContinuation;
    private readonly int _maxInputCharsPerWord;

    public WordPieceVocabulary(IReadOnlyList<string> tokens, string unkToken, int maxInputCharsPerWord)
    {
        var starts = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        var continuations = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < tokens.Count; id++)
        {
            string token = tokens[id];
            starts[token] = id;
            _longestStart = Math.Max(_longestStart, token.Length);
            if (token.StartsWith("##", StringComparison.Ordinal))
            {
                continuations[token[2..]] = id;
                _longestContinuation = Math.Max(_longestContinuation, token.Length - 2);
            }
        }
        Tokens = tokens;
        Ids = starts;
        _wordStarts = starts.GetAlternateLookup<ReadOnlySpan<char>>();
        _continuations = continuations.GetAlternateLookup<ReadOnlySpan<char>>();
        UnkId = starts.TryGetValue(unkToken, out int unk)
            ? unk
            : throw new Models.ModelLoadException($"the WordPiece vocabulary has no unknown token '{unkToken}'");
        _maxInputCharsPerWord = maxInputCharsPerWord;
    }

    public IReadOnlyList<string> Tokens { get; }
    public IReadOnlyDictionary<string, int> Ids { get; }
    public int UnkId { get; }

    /// <summary>Reads <c>vocab.txt</c>: one token a line, the line number is the id.</summary>
    public static List<string> ReadVocabFile(string path)
    {
        var tokens = new List<string>(32_000);
        foreach (string line in File.ReadLines(path))
            tokens.Add(line.TrimEnd());
        return tokens;
    }

    public void Segment(ReadOnlySpan<char> word, List<int> ids)
    {
        if (word.Length > _maxInputCharsPerWord && CodePoints(word) > _maxInputCharsPerWord)
        {
            ids.Add(UnkId);
            return;
        }
        int mark = ids.Count;
        int start = 0;
        while (start < word.Length)
        {
            var lookup = start == 0 ? _wordStarts : _continuations;
            int end = Math.Min(word.Length, start + (start == 0 ? _longestStart : _longestContinuation));
            if (end < word.Length && char.IsLowSurrogate(word[end]))
                end--;
            int found = -1;
            while (end > start)
            {
                if (lookup.TryGetValue(word[start..end], out found))
                    break;
                found = -1;
                end--;
                if (end > start && char.IsLowSurrogate(word[end]) && char.IsHighSurrogate(word[end - 1]))
                    end--;
            }
            if (found < 0)
            {
                ids.RemoveRange(mark, ids.Count - mark);
                ids.Add(UnkId);
                return;
            }
            ids.Add(found);
            start = end;
        }
    }

    private static int CodePoints(ReadOnlySpan<char> s)
    {
        int n = s.Length;
        for (int i = 1; i < s.Length; i++)
            if (char.IsLowSurrogate(s[i]) && char.IsHighSurrogate(s[i - 1]))
                n--;
        return n;
    }
}
