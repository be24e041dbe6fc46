namespace RerankKit.Tokenization.Json.PreTokenizers;

/// <summary><c>Digits</c>: isolates numeric characters, one by one or in runs.</summary>
internal sealed class DigitsPreTokenizer(bool individualDigits) : IPreTokenizer
{
    public void PreTokenize(PreTokenizedString text) => text.Split(s => TextSplitter.Split(s, CharClass.IsNumeric,
        individualDigits ? SplitDelimiterBehavior.Isolated : SplitDelimiterBehavior.Contiguous));
}
