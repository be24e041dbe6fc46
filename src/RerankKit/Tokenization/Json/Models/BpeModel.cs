using System.Collections.Concurrent;
using System.Text;

namespace RerankKit.Tokenization.Json.Models;

/// <summary><c>BPE</c>: a piece starts as its characters (with <c>continuing_subword_prefix</c> /
/// <c>end_of_word_suffix</c> where set; unknown characters become byte tokens with <c>byte_fallback</c>, else the
/// unknown token, fused if <c>fuse_unk</c>, else are dropped) and adjacent symbols are merged by merge rank, lowest
/// first and leftmost among equals. With <c>ignore_merges</c> a piece that is itself in the vocabulary is one token.</summary>
internal sealed class BpeModel : ITokenizerModel
{
    private const int CacheCapacity = 10_000;

    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Dictionary<(int, int), (int Rank, int NewId)> _merges;
    private readonly string[] _tokens;
    private readonly string? _unkToken;
    private readonly string? _prefix;
    private readonly string? _suffix;
    private readonly bool _fuseUnk;
    private readonly bool _byteFallback;
    private readonly bool _ignoreMerges;
    private readonly ConcurrentDictionary<string, Token[]> _cache = new(StringComparer.Ordinal);

    public BpeModel(Dictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges, string? unkToken,
        string? continuingSubwordPrefix, string? endOfWordSuffix, bool fuseUnk, bool byteFallback, bool ignoreMerges)
    {
        _vocab = vocab;
        _lookup = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _tokens = new string[vocab.Count == 0 ? 0 : vocab.Values.Max() + 1];
        foreach (var (token, id) in vocab)
            _tokens[id] = token;
        _unkToken = unkToken;
        _prefix = string.IsNullOrEmpty(continuingSubwordPrefix) ? null : continuingSubwordPrefix;
        _suffix = string.IsNullOrEmpty(endOfWordSuffix) ? null : endOfWordSuffix;
        _fuseUnk = fuseUnk;
        _byteFallback = byteFallback;
        _ignoreMerges = ignoreMerges;
        _merges = new Dictionary<(int, int), (int, int)>(merges.Count);
        int prefixLength = _prefix?.Length ?? 0;
        for (int rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            if (!vocab.TryGetValue(left, out int a) || !vocab.TryGetValue(right, out int b))
                throw new FormatException($"BPE merge {rank} ('{left}' '{right}') uses a token that is not in the vocabulary");
            string merged = left + right[Math.Min(prefixLength, right.Length)..];
            if (!vocab.TryGetValue(merged, out int id))
                throw new FormatException($"BPE merge {rank} ('{left}' '{right}') makes '{merged}', which is not in the vocabulary");
            _merges.TryAdd((a, b), (rank, id));
        }
    }

    public List<Token> Tokenize(string piece)
    {
        if (piece.Length == 0)
            return [];
        if (_ignoreMerges && _lookup.TryGetValue(piece, out int whole))
            return [new Token(whole, piece, 0, piece.Length)];
        if (_cache.TryGetValue(piece, out var cached))
            return [.. cached];
        var tokens = Merge(piece);
        if (_cache.Count < CacheCapacity)
            _cache.TryAdd(piece, tokens);
        return [.. tokens];
    }

    public bool TryGetId(string token, out int id) => _vocab.TryGetValue(token, out id);

    public string? TokenOf(int id) => id >= 0 && id < _tokens.Length ? _tokens[id] : null;

    private Token[] Merge(string word)
    {
        var symbols = new List<Symbol>(word.Length);
        (int Id, int Start, int End)? unk = null;
        for (int i = 0; i < word.Length;)
        {
            int width = char.IsHighSurrogate(word[i]) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1]) ? 2 : 1;
            bool isFirst = i == 0, isLast = i + width == word.Length;
            string s = word.Substring(i, width);
            if (!isFirst && _prefix is not null)
                s = _prefix + s;
            if (isLast && _suffix is not null)
                s += _suffix;
            if (_vocab.TryGetValue(s, out int id))
            {
                if (unk is { } u)
                {
                    symbols.Add(new Symbol(u.Id, u.Start, u.End));
                    unk = null;
                }
                symbols.Add(new Symbol(id, i, i + width));
            }
            else if (_byteFallback && ByteTokens(s) is { } byteIds)
            {
                // Each byte token covers its whole character, as the library's byte offsets map back to it.
                foreach (int b in byteIds)
                    symbols.Add(new Symbol(b, i, i + width));
            }
            else if (_unkToken is not null)
            {
                int unkId = _vocab.TryGetValue(_unkToken, out int found)
                    ? found
                    : throw new InvalidOperationException($"the BPE vocabulary has no unknown token '{_unkToken}'");
                if (unk is { } u && _fuseUnk)
                {
                    unk = (u.Id, u.Start, i + width);
                }
                else
                {
                    if (unk is { } pending)
                        symbols.Add(new Symbol(pending.Id, pending.Start, pending.End));
                    unk = (unkId, i, i + width);
                }
            }
            i += width;
        }
        if (unk is { } last)
            symbols.Add(new Symbol(last.Id, last.Start, last.End));

        MergeAll(symbols);

        var tokens = new List<Token>(symbols.Count);
        foreach (var symbol in symbols)
            if (!symbol.Removed)
                tokens.Add(new Token(symbol.Id, _tokens[symbol.Id], symbol.Start, symbol.End));
        return [.. tokens];
    }

    private void MergeAll(List<Symbol> symbols)
    {
        int n = symbols.Count;
        for (int i = 0; i < n; i++)
            symbols[i] = symbols[i] with { Prev = i - 1, Next = i + 1 < n ? i + 1 : -1 };
        var queue = new PriorityQueue<(int Pos, int NewId), (int Rank, int Pos)>();
        for (int i = 0; i + 1 < n; i++)
            if (_merges.TryGetValue((symbols[i].Id, symbols[i + 1].Id), out var m))
                queue.Enqueue((i, m.NewId), (m.Rank, i));
        while (queue.TryDequeue(out var top, out _))
        {
            var current = symbols[top.Pos];
            if (current.Removed || current.Next == -1)
                continue;
            int rightPos = current.Next;
            var right = symbols[rightPos];
            if (!_merges.TryGetValue((current.Id, right.Id), out var target) || target.NewId != top.NewId)
                continue;
            current = current with { Id = top.NewId, End = right.End, Next = right.Next };
            symbols[top.Pos] = current;
            symbols[rightPos] = right with { Removed = true };
            if (current.Next >= 0)
                symbols[current.Next] = symbols[current.Next] with { Prev = top.Pos };
            if (current.Prev >= 0 && _merges.TryGetValue((symbols[current.Prev].Id, current.Id), out var before))
                queue.Enqueue((current.Prev, before.NewId), (before.Rank, current.Prev));
            if (current.Next >= 0 && _merges.TryGetValue((current.Id, symbols[current.Next].Id), out var after))
                queue.Enqueue((top.Pos, after.NewId), (after.Rank, top.Pos));
        }
    }

    private int[]? ByteTokens(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var ids = new int[bytes.Length];
        for (int k = 0; k < bytes.Length; k++)
            if (!_vocab.TryGetValue($"<0x{bytes[k]:X2}>", out ids[k]))
                return null;
        return ids;
    }

    private readonly record struct Symbol(int Id, int Start, int End)
    {
        public int Prev { get; init; }
        public int Next { get; init; }
        public bool Removed { get; init; }
    }
}
