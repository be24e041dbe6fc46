namespace RerankKit.Inference;

/// <summary>A padded batch in row-major [BatchSize, SequenceLength] layout, as ONNX models take it.</summary>
public sealed record TokenBatch(long[] InputIds, long[] AttentionMask, long[] TokenTypeIds, int BatchSize, int SequenceLength)
{
    /// <summary>Right-pads sequences to the longest one with <paramref name="padTokenId"/> and mask 0. A sequence's
    /// missing token types are 0; without <paramref name="tokenTypeIds"/> the batch has none (an empty array).
    /// The one padding rule of ONNX Runtime and the native engine, so both see the same batch.</summary>
    public static TokenBatch Pad(IReadOnlyList<IReadOnlyList<int>> inputIds, IReadOnlyList<IReadOnlyList<int>>? tokenTypeIds, int padTokenId)
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
            int offset = row * length;
            for (int t = 0; t < rowIds.Count; t++)
            {
                ids[offset + t] = rowIds[t];
                mask[offset + t] = 1;
                if (tokenTypeIds is not null)
                    types[offset + t] = tokenTypeIds[row].Count > t ? tokenTypeIds[row][t] : 0;
            }
        }
        return new TokenBatch(ids, mask, types, n, length);
    }
}
