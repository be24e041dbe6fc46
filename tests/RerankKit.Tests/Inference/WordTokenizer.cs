using RerankKit.Tokenization;

namespace RerankKit.Tests.Inference;

/// <summary>One id per whitespace-separated word in BERT's pair layout (<c>[CLS] a [SEP] b [SEP]</c>, token types
/// 0 then 1, <c>longest_first</c> truncation): enough to test windowing and batching on any text.</summary>
internal sealed class WordTokenizer : ITextTokenizer
{
    private const int Cls = 101, Sep = 102;

    public int PadTokenId => 0;

    public bool UsesTokenTypeIds => true;

    public static int IdOf(string word) => 1000 + (int)((uint)word.Aggregate(17, (h, c) => h * 31 + c) % 20000);

    public EncodedInput Encode(string text, int maxLength)
    {
        var words = Words(text).Take(maxLength - 2).ToList();
        return Build([Cls, .. words.Select(IdOf), Sep], [], words, []);
    }

    public EncodedInput EncodePair(string first, string second, int maxLength)
    {
        var a = Words(first).ToList();
        var b = Words(second).ToList();
        while (a.Count + b.Count + 3 > maxLength)
        {
            if (a.Count > b.Count) a.RemoveAt(a.Count - 1);
            else b.RemoveAt(b.Count - 1);
        }
        return Build([Cls, .. a.Select(IdOf), Sep], [.. b.Select(IdOf), Sep], a, b);
    }

    private static EncodedInput Build(int[] firstPart, int[] secondPart, List<string> a, List<string> b)
    {
        int[] ids = [.. firstPart, .. secondPart];
        int[] types = [.. firstPart.Select(_ => 0), .. secondPart.Select(_ => 1)];
        string[] tokens = secondPart.Length > 0 ? ["[CLS]", .. a, "[SEP]", .. b, "[SEP]"] : ["[CLS]", .. a, "[SEP]"];
        return new EncodedInput(ids, types, tokens);
    }

    private static IEnumerable<string> Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
