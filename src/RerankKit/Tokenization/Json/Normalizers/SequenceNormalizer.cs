namespace RerankKit.Tokenization.Json.Normalizers;

/// <summary><c>Sequence</c>: normalizers applied in order.</summary>
internal sealed class SequenceNormalizer(IReadOnlyList<INormalizer> steps) : INormalizer
{
    public IReadOnlyList<INormalizer> Steps { get; } = steps;

    public void Normalize(NormalizedString text)
    {
        foreach (var step in Steps)
            step.Normalize(text);
    }
}
