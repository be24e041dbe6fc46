using RerankKit.Tokenization;

namespace RerankKit.Tests.Serving;

/// <summary>Splits on spaces; ids are word lengths; [CLS]=101 and [SEP]=102 as in BERT.</summary>
internal sealed class FakeTokenizer : ITextTokenizer
{
    public int PadTokenId => 0;

    public bool UsesTokenTypeIds => true;

    public EncodedInput Encode(string text, int maxLength)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(maxLength - 2).ToArray();
        string[] tokens = ["[CLS]", .. words, "[SEP]"];
        int[] ids = [101, .. words.Select(w => 1000 + w.Length), 102];
        return new EncodedInput(ids, new int[ids.Length], tokens);
    }

    public EncodedInput EncodePair(string first, string second, int maxLength)
    {
        var a = Encode(first, maxLength);
        var b = Encode(second, maxLength);
        int[] ids = [.. a.InputIds, .. b.InputIds.Skip(1)];
        return new EncodedInput(ids.Take(maxLength).ToArray(), new int[Math.Min(ids.Length, maxLength)], [.. a.Tokens, .. b.Tokens.Skip(1)]);
    }
}
