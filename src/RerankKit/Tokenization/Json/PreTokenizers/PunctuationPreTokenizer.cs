namespace RerankKit.Tokenization.Json.PreTokenizers;

/// <summary><c>Punctuation</c>: splits on each punctuation character with the configured behavior.</summary>
internal sealed class PunctuationPreTokenizer(SplitDelimiterBehavior behavior) : IPreTokenizer
{
    public void PreTokenize(PreTokenizedString text) =>
        text.Split(s => TextSplitter.Split(s, CharClass.IsPunctuation, behavior));
}
