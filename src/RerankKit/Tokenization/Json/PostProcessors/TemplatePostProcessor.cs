namespace RerankKit.Tokenization.Json.PostProcessors;

/// <summary><c>TemplateProcessing</c>: the <c>single</c> and <c>pair</c> templates, e.g. <c>[CLS]:0 $A:0 [SEP]:0
/// $B:1 [SEP]:1</c>; sequences take their piece's type id even when special tokens are not added.</summary>
internal sealed class TemplatePostProcessor(
    IReadOnlyList<TemplatePostProcessor.Piece> single,
    IReadOnlyList<TemplatePostProcessor.Piece> pair,
    IReadOnlyDictionary<string, (int[] Ids, string[] Tokens)> specialTokens) : IPostProcessor
{
    /// <summary>A template piece: sequence A/B (<paramref name="Name"/> "A" or "B") or a special token by name.</summary>
    internal sealed record Piece(bool IsSequence, string Name, int TypeId);

    public int AddedTokens(bool isPair) =>
        (isPair ? pair : single).Where(p => !p.IsSequence).Sum(p => specialTokens[p.Name].Ids.Length);

    public List<WorkingEncoding> Process(List<WorkingEncoding> sequences, bool addSpecialTokens)
    {
        var template = sequences.Count == 2 ? pair : single;
        var parts = new List<WorkingEncoding>(template.Count);
        foreach (var piece in template)
        {
            if (piece.IsSequence)
            {
                var sequence = sequences[piece.Name == "A" ? 0 : 1];
                var copy = WorkingEncoding.Merge([sequence]);
                copy.SetTypeIds(piece.TypeId);
                parts.Add(copy);
            }
            else if (addSpecialTokens)
            {
                var (ids, tokens) = specialTokens[piece.Name];
                parts.Add(WorkingEncoding.Specials(ids, tokens, piece.TypeId));
            }
        }
        return parts;
    }
}
