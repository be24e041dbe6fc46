namespace RerankKit.Tokenization.Json.PreTokenizers;

/// <summary><c>Whitespace</c>: keeps the matches of <c>\w+|[^\w\s]+</c>, dropping everything else.</summary>
internal sealed class WhitespacePreTokenizer : IPreTokenizer
{
    private static readonly TextPattern Words = TextPattern.FromRegex(@"\w+|[^\w\s]+");

    public void PreTokenize(PreTokenizedString text) =>
        text.Split(s => TextSplitter.Split(s, Words.Matches(s.Text), SplitDelimiterBehavior.Removed, invert: true));
}
