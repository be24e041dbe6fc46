using System.Buffers;

namespace RerankKit.Tokenization.Json.Models;

/// <summary><c>Unigram</c> as the tokenizers library runs it: the Viterbi path of highest total score (in double)
/// over all vocabulary pieces, an unknown piece scored the lowest score minus 10 where no piece covers a character,
/// consecutive unknowns fused, and unknown strings turned into byte tokens with <c>byte_fallback</c>.</summary>
/// <remarks>Separate from <see cref="UnigramModel"/>, which follows SentencePiece itself (float path scores,
/// user-defined pieces): the two differ on ties and on which pieces may be matched.</remarks>
internal sealed class UnigramLatticeModel : ITokenizerModel
{
    private const double UnknownPenalty = 10.0;

    private readonly Dictionary<string, int> _ids;
    private readonly string[] _pieces;
    private readonly double[] _scores;
    private readonly PieceTrie _trie = new();
    private readonly int? _unkId;
    private readonly bool _byteFallback;
    private readonly double _unkScore;

    public UnigramLatticeModel(IReadOnlyList<(string Piece, double Score)> vocab, int? unkId, bool byteFallback)
    {
        _pieces = new string[vocab.Count];
        _scores = new double[vocab.Count];
        _ids = new Dictionary<string, int>(vocab.Count, StringComparer.Ordinal);
        double min = double.PositiveInfinity;
        for (int id = 0; id < vocab.Count; id++)
        {
            var (piece, score) = vocab[id];
            _pieces[id] = piece;
            _scores[id] = score;
            _ids.TryAdd(piece, id);
            min = Math.Min(min, score);
            if (piece.Length > 0)
                _trie.Insert(piece, id);
        }
        _unkId = unkId;
        _byteFallback = byteFallback;
        _unkScore = min - UnknownPenalty;
    }

    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token, out id);

    public string? TokenOf(int id) => id >= 0 && id < _pieces.Length ? _pieces[id] : null;

    public List<Token> Tokenize(string piece)
    {
        var tokens = new List<Token>();
        foreach (var (start, end) in Segment(piece))
        {
            string s = piece[start..end];
            if (_ids.TryGetValue(s, out int id))
            {
                tokens.Add(new Token(id, s, start, end));
                continue;
            }
            if (_byteFallback && ByteTokens(s, start, end) is { } bytes)
            {
                tokens.AddRange(bytes);
                continue;
            }
            tokens.Add(new Token(_unkId ?? throw new InvalidOperationException("the Unigram model has no unk_id"), s, start, end));
        }
        return tokens;
    }

    private List<(int Start, int End)> Segment(string text)
    {
        int n = text.Length;
        var result = new List<(int, int)>();
        if (n == 0)
            return result;
        var score = ArrayPool<double>.Shared.Rent(n + 1);
        var from = ArrayPool<int>.Shared.Rent(n + 1);
        var piece = ArrayPool<int>.Shared.Rent(n + 1);
        try
        {
            from.AsSpan(0, n + 1).Fill(-1);
            score[0] = 0;
            for (int start = 0; start < n;)
            {
                double baseScore = score[start];
                int width = char.IsHighSurrogate(text[start]) && start + 1 < n && char.IsLowSurrogate(text[start + 1]) ? 2 : 1;
                bool coversOneChar = false;
                int node = 0;
                for (int k = start; k < n; k++)
                {
                    if (!_trie.TryStep(ref node, text[k]))
                        break;
                    int id = _trie.PieceAt(node);
                    if (id < 0)
                        continue;
                    int end = k + 1;
                    if (end < n && char.IsLowSurrogate(text[end]) && char.IsHighSurrogate(text[k]))
                        continue;
                    double candidate = _scores[id] + baseScore;
                    if (from[end] < 0 || candidate > score[end])
                    {
                        score[end] = candidate;
                        from[end] = start;
                        piece[end] = id;
                    }
                    if (end - start == width)
                        coversOneChar = true;
                }
                if (!coversOneChar)
                {
                    int end = start + width;
                    double candidate = _unkScore + baseScore;
                    if (from[end] < 0 || candidate > score[end])
                    {
                        score[end] = candidate;
                        from[end] = start;
                        piece[end] = -1;
                    }
                }
                start += width;
            }

            int fusedEnd = -1;
            for (int end = n; end > 0; end = from[end])
            {
                int begin = from[end];
                bool unknown = piece[end] < 0 || (_unkId is { } u && piece[end] == u);
                if (unknown && _unkId is not null)
                {
                    if (fusedEnd < 0)
                        fusedEnd = end;
                    continue;
                }
                if (fusedEnd >= 0)
                {
                    result.Add((end, fusedEnd));
                    fusedEnd = -1;
                }
                result.Add((begin, end));
            }
            if (fusedEnd >= 0)
                result.Add((0, fusedEnd));
            result.Reverse();
            return result;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(score);
            ArrayPool<int>.Shared.Return(from);
            ArrayPool<int>.Shared.Return(piece);
        }
    }

    private List<Token>? ByteTokens(string s, int start, int end)
    {
        var tokens = new List<Token>();
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(s))
        {
            string name = $"<0x{b:X2}>";
            if (!_ids.TryGetValue(name, out int id))
                return null;
            tokens.Add(new Token(id, name, start, end));
        }
        return tokens;
    }
}
