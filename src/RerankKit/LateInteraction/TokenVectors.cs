namespace RerankKit.LateInteraction;

/// <summary>A text's L2-normalised token vectors as ColBERT keeps them: <see cref="Count"/> rows of
/// <see cref="Dimension"/> floats, row-major, with the vocabulary entry each row came from.</summary>
public sealed record TokenVectors(float[] Values, int Count, int Dimension, string[] Tokens)
{
    public ReadOnlySpan<float> Row(int i) => Values.AsSpan(i * Dimension, Dimension);
}
