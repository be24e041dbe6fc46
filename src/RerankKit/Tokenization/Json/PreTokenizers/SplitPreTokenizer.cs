namespace RerankKit.Tokenization.Json.PreTokenizers;

/// <summary><c>Split</c>: splits on the matches of a string or regex pattern (or, inverted, on what lies between them).</summary>
internal sealed class SplitPreTokenizer(TextPattern pattern, SplitDelimiterBehavior behavior, bool invert) : IPreTokenizer
{
    public void PreTokenize(PreTokenizedString text) =>
        text.Split(s => TextSplitter.Split(s, pattern.Matches(s.Text), behavior, invert));
}
