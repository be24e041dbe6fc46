using RerankKit.Tokenization;

namespace RerankKit.Tests.Seq2Seq;

/// <summary>Stands in for the T5 tokenizer where a test feeds the goldens' own input ids: it pads with T5's 0 and
/// refuses to tokenize, so a test that meant to bypass the tokenizer cannot use it by accident.</summary>
internal sealed class IdsOnlyTokenizer : ITextTokenizer
{
    public int PadTokenId => 0;

    public bool UsesTokenTypeIds => false;

    public EncodedInput Encode(string text, int maxLength) => throw new InvalidOperationException("this test gives input ids, not text");

    public EncodedInput EncodePair(string first, string second, int maxLength) => throw new InvalidOperationException("this test gives input ids, not text");
}
