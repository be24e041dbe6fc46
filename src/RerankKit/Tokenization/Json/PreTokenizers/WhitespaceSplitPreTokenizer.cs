namespace RerankKit.Tokenization.Json.PreTokenizers;

/// <summary><c>WhitespaceSplit</c>: splits on whitespace, which is removed.</summary>
internal sealed class WhitespaceSplitPreTokenizer : IPreTokenizer
{
    public void PreTokenize(PreTokenizedString text) =>
        text.Split(s => TextSplitter.Split(s, CharClass.IsWhitespace, SplitDelimiterBehavior.Removed));
}
