using RerankKit.Tokenization;

namespace RerankKit.Inference;

/// <summary>Groups inputs of similar length so each batch is padded only to its own longest input.</summary>
internal static class TokenBatcher
{
    /// <summary>Input indices, longest first, cut into batches of at most <paramref name="batchSize"/>.</summary>
    public static List<int[]> Plan(IReadOnlyList<EncodedInput> inputs, int batchSize)
    {
        if (batchSize < 1)
            throw new ArgumentException($"batch size must be at least 1, not {batchSize}");
        int[] order = Enumerable.Range(0, inputs.Count).OrderByDescending(i => inputs[i].Length).ToArray();
        return order.Chunk(batchSize).ToList();
    }

    public static TokenBatch Pad(IReadOnlyList<EncodedInput> inputs, int[] indices, int padTokenId)
    {
        int length = indices.Max(i => inputs[i].Length);
        int n = indices.Length;
        var ids = new long[n * length];
        var mask = new long[n * length];
        var types = new long[n * length];
        Array.Fill(ids, padTokenId);
        for (int row = 0; row < n; row++)
        {
            var input = inputs[indices[row]];
            int offset = row * length;
            for (int t = 0; t < input.Length; t++)
            {
                ids[offset + t] = input.InputIds[t];
                mask[offset + t] = 1;
                types[offset + t] = input.TokenTypeIds.Length > t ? input.TokenTypeIds[t] : 0;
            }
        }
        return new TokenBatch(ids, mask, types, n, length);
    }
}
