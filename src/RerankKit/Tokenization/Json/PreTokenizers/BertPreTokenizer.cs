namespace RerankKit.Tokenization.Json.PreTokenizers;

/// <summary><c>BertPreTokenizer</c>: splits on whitespace (removed), then isolates each punctuation character.</summary>
internal sealed class BertPreTokenizer : IPreTokenizer
{
    public void PreTokenize(PreTokenizedString text)
    {
        text.Split(s => TextSplitter.Split(s, CharClass.IsWhitespace, SplitDelimiterBehavior.Removed));
        text.Split(s => TextSplitter.Split(s, CharClass.IsPunctuation, SplitDelimiterBehavior.Isolated));
    }
}
