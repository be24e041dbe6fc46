namespace RerankKit.Inference;

/// <summary>A padded batch in row-major [BatchSize, SequenceLength] layout, as ONNX models take it.</summary>
public sealed record TokenBatch(long[] InputIds, long[] AttentionMask, long[] TokenTypeIds, int BatchSize, int SequenceLength)
{
    /// <summary>Whether the padding is on the left (decoders), so that every row's last real token is the last position.</summary>
    public bool PadsLeft { get; init; }

    /// <summary>Pads sequences to the longest one with <paramref name="padTokenId"/> and mask 0, on the right unless
    /// <paramref name="padLeft"/>. A sequence's missing token types are 0; without <paramref name="tokenTypeIds"/> the
    /// batch has none (an empty array). The mask comes from the lengths, never from the ids: a text may contain the
    /// pad token itself (Qwen3's <c>&lt;|endoftext|&gt;</c>). The one padding rule of ONNX Runtime and the native
    /// engine, so both see the same batch.</summary>
    public static TokenBatch Pad(IReadOnlyList<IReadOnlyList<int>> inputIds, IReadOnlyList<IReadOnlyList<int>>? tokenTypeIds, int padTokenId,
        bool padLeft = false)
    {
        int n = inputIds.Count;
        int length = inputIds.Max(x => x.Count);
        var ids = new long[n * length];
        var mask = new long[n * length];
        var types = tokenTypeIds is null ? [] : new long[n * length];
        Array.Fill(ids, padTokenId);
        for (int row = 0; row < n; row++)
        {
            var rowIds = inputIds[row];
            int offset = row * length + (padLeft ? length - rowIds.Count : 0);
            for (int t = 0; t < rowIds.Count; t++)
            {
                ids[offset + t] = rowIds[t];
                mask[offset + t] = 1;
                if (tokenTypeIds is not null)
                    types[offset + t] = tokenTypeIds[row].Count > t ? tokenTypeIds[row][t] : 0;
            }
        }
        return new TokenBatch(ids, mask, types, n, length) { PadsLeft = padLeft };
    }

    /// <summary>Position ids as Hugging Face's <c>generate</c> and optimum feed a decoder: <c>cumsum(mask) − 1</c>, with
    /// padding at 1. Real tokens count 0, 1, ... from their own first token on either padding side.</summary>
    public long[] PositionIds()
    {
        var positions = new long[InputIds.Length];
        for (int row = 0; row < BatchSize; row++)
        {
            long next = 0;
            for (int t = row * SequenceLength, end = t + SequenceLength; t < end; t++)
                positions[t] = AttentionMask[t] != 0 ? next++ : 1;
        }
        return positions;
    }

    /// <summary>Rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 as a batch of their
    /// own, with the same padded length.</summary>
    public TokenBatch Rows(int first, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first + count, BatchSize);
        long[] Slice(long[] values) => values.Length == 0 ? [] : values.AsSpan(first * SequenceLength, count * SequenceLength).ToArray();
        return new TokenBatch(Slice(InputIds), Slice(AttentionMask), Slice(TokenTypeIds), count, SequenceLength) { PadsLeft = PadsLeft };
    }

    /// <summary>The position of row <paramref name="row"/>'s last real token (the last mask 1).</summary>
    public int LastTokenIndex(int row)
    {
        var mask = AttentionMask.AsSpan(row * SequenceLength, SequenceLength);
        int last = mask.LastIndexOfAnyExcept(0L);
        return last >= 0 ? last : SequenceLength - 1;
    }
}
