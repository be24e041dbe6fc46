namespace RerankKit.Tokenization.Json.Models;

/// <summary><c>WordPiece</c>: greedy longest-match-first over the vocabulary, continuation pieces carrying the
/// <c>##</c> prefix; a word longer than <c>max_input_chars_per_word</c> or with an unmatched rest becomes the
/// unknown token as a whole.</summary>
internal sealed class WordPieceModel : ITokenizerModel
{
    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _initial;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _continuation;
    private readonly string[] _tokens;
    private readonly string _unkToken;
    private readonly int _maxInputCharsPerWord;

    public WordPieceModel(Dictionary<string, int> vocab, string unkToken, string prefix, int maxInputCharsPerWord)
    {
        _vocab = vocab;
        _initial = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        var continuation = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, id) in vocab)
            if (token.StartsWith(prefix, StringComparison.Ordinal))
                continuation[token[prefix.Length..]] = id;
        _continuation = continuation.GetAlternateLookup<ReadOnlySpan<char>>();
        _tokens = new string[vocab.Count == 0 ? 0 : vocab.Values.Max() + 1];
        foreach (var (token, id) in vocab)
            _tokens[id] = token;
        _unkToken = unkToken;
        _maxInputCharsPerWord = maxInputCharsPerWord;
    }

    public List<Token> Tokenize(string piece)
    {
        var result = new List<Token>(4);
        if (CountRunes(piece) > _maxInputCharsPerWord)
            return Unknown(piece);
        int start = 0;
        while (start < piece.Length)
        {
            int end = piece.Length;
            bool found = false;
            while (start < end)
            {
                var span = piece.AsSpan(start, end - start);
                if ((start == 0 ? _initial : _continuation).TryGetValue(span, out int id))
                {
                    result.Add(new Token(id, _tokens[id], start, end));
                    found = true;
                    break;
                }
                end -= end - 1 > start && char.IsLowSurrogate(piece[end - 1]) && char.IsHighSurrogate(piece[end - 2]) ? 2 : 1;
            }
            if (!found)
                return Unknown(piece);
            start = end;
        }
        return result;
    }

    public bool TryGetId(string token, out int id) => _vocab.TryGetValue(token, out id);

    public string? TokenOf(int id) => id >= 0 && id < _tokens.Length ? _tokens[id] : null;

    private List<Token> Unknown(string piece) => _vocab.TryGetValue(_unkToken, out int unk)
        ? [new Token(unk, _unkToken, 0, piece.Length)]
        : throw new InvalidOperationException($"the WordPiece vocabulary has no unknown token '{_unkToken}'");

    private static int CountRunes(string s)
    {
        int n = s.Length;
        foreach (char c in s)
            if (char.IsLowSurrogate(c))
                n--;
        return n;
    }
}
