namespace RerankKit.Tokenization.Json.PreTokenizers;

/// <summary><c>Sequence</c>: pre-tokenizers applied in order.</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<IPreTokenizer> steps) : IPreTokenizer
{
    public IReadOnlyList<IPreTokenizer> Steps { get; } = steps;

    public void PreTokenize(PreTokenizedString text)
    {
        foreach (var step in Steps)
            step.PreTokenize(text);
    }
}
