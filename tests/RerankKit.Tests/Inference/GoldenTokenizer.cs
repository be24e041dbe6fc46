using RerankKit.Tokenization;

namespace RerankKit.Tests.Inference;

/// <summary>Answers with the golden input_ids of the fixture's cases, so the model path is tested on exactly the
/// reference inputs independently of the tokenizer. Any text it has no golden case for is a test error.</summary>
internal sealed class GoldenTokenizer(IReadOnlyList<GoldenCase> cases, int padTokenId, bool usesTokenTypeIds) : ITextTokenizer
{
    public int PadTokenId => padTokenId;

    public bool UsesTokenTypeIds => usesTokenTypeIds;

    public EncodedInput Encode(string text, int maxLength) =>
        ToInput(cases.Single(c => c.Text == text && c.MaxLength == maxLength));

    public EncodedInput EncodePair(string first, string second, int maxLength) =>
        ToInput(cases.Single(c => c.Query == first && c.Document == second && c.MaxLength == maxLength));

    private static EncodedInput ToInput(GoldenCase c) =>
        new(c.InputIds, c.TokenTypeIds ?? new int[c.InputIds.Length], c.InputIds.Select(i => i.ToString()).ToArray());
}
