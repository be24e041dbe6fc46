namespace RerankKit.Tokenization.Json.PostProcessors;

/// <summary><c>Sequence</c>: post-processors applied in order, each to the parts the previous one produced.</summary>
internal sealed class SequencePostProcessor(IReadOnlyList<IPostProcessor> steps) : IPostProcessor
{
    public int AddedTokens(bool isPair) => steps.Sum(s => s.AddedTokens(isPair));

    public List<WorkingEncoding> Process(List<WorkingEncoding> sequences, bool addSpecialTokens)
    {
        foreach (var step in steps)
            sequences = step.Process(sequences, addSpecialTokens);
        return sequences;
    }
}
