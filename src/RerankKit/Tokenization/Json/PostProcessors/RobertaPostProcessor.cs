namespace RerankKit.Tokenization.Json.PostProcessors;

/// <summary><c>RobertaProcessing</c>: <c>&lt;s&gt; A &lt;/s&gt;</c> and <c>&lt;/s&gt; B &lt;/s&gt;</c>, all typed 0,
/// after trimming whitespace from offsets as the ByteLevel processor does (<c>trim_offsets</c>).</summary>
internal sealed class RobertaPostProcessor((string Token, int Id) sep, (string Token, int Id) cls, bool trimOffsets, bool addPrefixSpace) : IPostProcessor
{
    public int AddedTokens(bool isPair) => isPair ? 4 : 2;

    public List<WorkingEncoding> Process(List<WorkingEncoding> sequences, bool addSpecialTokens)
    {
        if (trimOffsets)
            foreach (var sequence in sequences)
                ByteLevelPostProcessor.TrimOffsets(sequence, addPrefixSpace);
        var parts = new List<WorkingEncoding>();
        for (int i = 0; i < sequences.Count; i++)
        {
            var sequence = WorkingEncoding.Merge([sequences[i]]);
            sequence.SetTypeIds(0);
            if (addSpecialTokens)
                parts.Add(i == 0 ? WorkingEncoding.Specials([cls.Id], [cls.Token], 0) : WorkingEncoding.Specials([sep.Id], [sep.Token], 0));
            parts.Add(sequence);
            if (addSpecialTokens)
                parts.Add(WorkingEncoding.Specials([sep.Id], [sep.Token], 0));
        }
        return parts;
    }
}
