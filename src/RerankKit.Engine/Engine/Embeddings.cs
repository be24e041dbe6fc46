namespace RerankKit.Engine;

/// <summary>The sum of word, position and token-type embedding rows, forward and backward. The word vectors
/// may be fed directly (<c>inputEmbeddings</c> [N, H]) instead of looked up, as integrated gradients does.</summary>
internal static class Embeddings
{
    public static void Forward(float[] wordTable, float[] positionTable, float[]? typeTable, ReadOnlySpan<int> ids,
        ReadOnlySpan<int> positions, ReadOnlySpan<int> typeIds, float[]? inputEmbeddings, Span<float> output, int hidden)
    {
        int n = positions.Length;
        for (int i = 0; i < n; i++)
        {
            var y = output.Slice(i * hidden, hidden);
            var word = inputEmbeddings is not null
                ? inputEmbeddings.AsSpan(i * hidden, hidden)
                : wordTable.AsSpan(ids[i] * hidden, hidden);
            System.Numerics.Tensors.TensorPrimitives.Add(word, positionTable.AsSpan(positions[i] * hidden, hidden), y);
            if (typeTable is not null)
                System.Numerics.Tensors.TensorPrimitives.Add(y, typeTable.AsSpan((typeIds.IsEmpty ? 0 : typeIds[i]) * hidden, hidden), y);
        }
    }

    /// <summary>Accumulates each row of dOut into the word, position and type rows it came from, and into
    /// <paramref name="dInputs"/> (the gradient with respect to the word vectors fed in); every target is optional.</summary>
    public static void Backward(ReadOnlySpan<float> dOut, ReadOnlySpan<int> ids, ReadOnlySpan<int> positions, ReadOnlySpan<int> typeIds,
        float[]? dWord, float[]? dPosition, float[]? dType, float[]? dInputs, int hidden)
    {
        int n = positions.Length;
        for (int i = 0; i < n; i++)
        {
            var d = dOut.Slice(i * hidden, hidden);
            if (dInputs is not null)
                AddInto(dInputs.AsSpan(i * hidden, hidden), d);
            if (dWord is not null && !ids.IsEmpty)
                AddInto(dWord.AsSpan(ids[i] * hidden, hidden), d);
            if (dPosition is not null)
                AddInto(dPosition.AsSpan(positions[i] * hidden, hidden), d);
            if (dType is not null)
                AddInto(dType.AsSpan((typeIds.IsEmpty ? 0 : typeIds[i]) * hidden, hidden), d);
        }
    }

    private static void AddInto(Span<float> target, ReadOnlySpan<float> d) =>
        System.Numerics.Tensors.TensorPrimitives.Add(target, d, target);
}
