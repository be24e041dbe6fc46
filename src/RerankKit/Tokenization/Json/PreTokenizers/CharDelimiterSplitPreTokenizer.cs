using System.Text;

namespace RerankKit.Tokenization.Json.PreTokenizers;

/// <summary><c>CharDelimiterSplit</c>: splits on one character, which is removed.</summary>
internal sealed class CharDelimiterSplitPreTokenizer(Rune delimiter) : IPreTokenizer
{
    public void PreTokenize(PreTokenizedString text) =>
        text.Split(s => TextSplitter.Split(s, r => r == delimiter, SplitDelimiterBehavior.Removed));
}
