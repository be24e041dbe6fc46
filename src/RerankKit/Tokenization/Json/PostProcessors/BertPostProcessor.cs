namespace RerankKit.Tokenization.Json.PostProcessors;

/// <summary><c>BertProcessing</c>: <c>[CLS] A [SEP]</c> and <c>B [SEP]</c> typed 1; the second sequence is typed 1
/// even without special tokens.</summary>
internal sealed class BertPostProcessor((string Token, int Id) sep, (string Token, int Id) cls) : IPostProcessor
{
    public int AddedTokens(bool isPair) => isPair ? 3 : 2;

    public List<WorkingEncoding> Process(List<WorkingEncoding> sequences, bool addSpecialTokens)
    {
        var parts = new List<WorkingEncoding>();
        for (int i = 0; i < sequences.Count; i++)
        {
            var sequence = WorkingEncoding.Merge([sequences[i]]);
            sequence.SetTypeIds(i);
            if (addSpecialTokens && i == 0)
                parts.Add(WorkingEncoding.Specials([cls.Id], [cls.Token], 0));
            parts.Add(sequence);
            if (addSpecialTokens)
                parts.Add(WorkingEncoding.Specials([sep.Id], [sep.Token], i));
        }
        return parts;
    }
}
