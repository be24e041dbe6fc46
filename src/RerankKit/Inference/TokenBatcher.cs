using RerankKit.Tokenization;

namespace RerankKit.Inference;

/// <summary>Groups inputs of similar length so each batch is padded only to its own longest input.</summary>
internal static class TokenBatcher
{
    /// <summary>Input indices, longest first (in input order without <paramref name="sortWhole"/>), cut into batches
    /// of at most <paramref name="batchSize"/>.</summary>
    public static List<int[]> Plan(IReadOnlyList<EncodedInput> inputs, int batchSize, bool sortWhole = true)
    {
        if (batchSize < 1)
            throw new ArgumentException($"batch size must be at least 1, not {batchSize}");
        var indices = Enumerable.Range(0, inputs.Count);
        int[] order = (sortWhole ? indices.OrderByDescending(i => inputs[i].Length) : indices).ToArray();
        return order.Chunk(batchSize).ToList();
    }

    public static TokenBatch Pad(IReadOnlyList<EncodedInput> inputs, int[] indices, int padTokenId, bool padLeft = false) =>
        TokenBatch.Pad(
            indices.Select(i => (IReadOnlyList<int>)inputs[i].InputIds).ToList(),
            indices.Select(i => (IReadOnlyList<int>)inputs[i].TokenTypeIds).ToList(),
            padTokenId,
            padLeft);
}
