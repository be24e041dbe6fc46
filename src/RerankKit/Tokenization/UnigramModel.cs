using System.Buffers;
using System.Text;

namespace RerankKit.Tokenization;

/// <summary>SentencePiece unigram segmentation: the Viterbi path of highest total piece score over the normalized
/// text, an unknown piece (scored the lowest piece score minus 10) for a character no piece starts with, and
/// consecutive unknown pieces merged into one, as SentencePiece and Hugging Face's fused-unk Unigram both do.</summary>
/// <remarks>Hand-written (together with <see cref="SentencePieceNormalizer"/>) so that the Viterbi search, its tie
/// rule and the unknown handling follow SentencePiece exactly, down to its arithmetic: path scores are stored as
/// float while a piece's candidate is summed and compared in double (an unknown's in float), which decides between
/// equally scored paths.</remarks>
internal sealed class UnigramModel
{
    private const float UnknownPenalty = 10f;

    private readonly PieceTrie _trie = new();
    private readonly double[] _scores;
    private readonly float _unkScore;

    public UnigramModel(SentencePieceModel model)
    {
        var pieces = model.Pieces;
        UnkId = model.UnkId;
        _scores = new double[pieces.Count];
        float min = float.MaxValue, max = float.MinValue;
        foreach (var p in pieces)
        {
            if (p.Type == SentencePieceModel.PieceType.Normal)
            {
                min = Math.Min(min, p.Score);
                max = Math.Max(max, p.Score);
            }
        }
        _unkScore = (min == float.MaxValue ? 0f : min) - UnknownPenalty;

        for (int id = 0; id < pieces.Count; id++)
        {
            var p = pieces[id];
            // A user-defined piece gets a bonus so that it is always chosen, as in SentencePiece.
            _scores[id] = p.Type == SentencePieceModel.PieceType.UserDefined
                ? Encoding.UTF8.GetByteCount(p.Text) * max - 0.1
                : p.Score;
            if (p.Type is SentencePieceModel.PieceType.Normal or SentencePieceModel.PieceType.UserDefined && p.Text.Length > 0)
                _trie.Insert(p.Text, id);
        }
    }

    public int UnkId { get; }

    /// <summary>Appends the SentencePiece ids of <paramref name="text"/> (already normalized) to <paramref name="ids"/>.</summary>
    public void Encode(ReadOnlySpan<char> text, List<int> ids)
    {
        int n = text.Length;
        if (n == 0)
            return;
        var score = ArrayPool<float>.Shared.Rent(n + 1);
        var from = ArrayPool<int>.Shared.Rent(n + 1);
        var piece = ArrayPool<int>.Shared.Rent(n + 1);
        try
        {
            from.AsSpan(0, n + 1).Fill(-1);
            score[0] = 0f;
            for (int start = 0; start < n; start++)
            {
                if (start > 0 && from[start] < 0)
                    continue;
                float baseScore = score[start];
                int charLength = char.IsHighSurrogate(text[start]) && start + 1 < n && char.IsLowSurrogate(text[start + 1]) ? 2 : 1;
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
                    double candidate = _scores[id] + baseScore;
                    if (from[end] < 0 || candidate > score[end])
                    {
                        score[end] = (float)candidate;
                        from[end] = start;
                        piece[end] = id;
                    }
                    if (end - start == charLength)
                        coversOneChar = true;
                }
                if (!coversOneChar)
                {
                    int end = start + charLength;
                    float candidate = _unkScore + baseScore;
                    if (from[end] < 0 || candidate > score[end])
                    {
                        score[end] = candidate;
                        from[end] = start;
                        piece[end] = UnkId;
                    }
                }
            }

            int mark = ids.Count;
            for (int end = n; end > 0; end = from[end])
            {
                int id = piece[end];
                if (id == UnkId && ids.Count > mark && ids[^1] == UnkId)
                    continue;
                ids.Add(id);
            }
            ids.Reverse(mark, ids.Count - mark);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(score);
            ArrayPool<int>.Shared.Return(from);
            ArrayPool<int>.Shared.Return(piece);
        }
    }
}
