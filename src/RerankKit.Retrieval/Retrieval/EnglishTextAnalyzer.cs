using System.Text;

namespace RerankKit.Retrieval;

/// <summary>Lucene's English analysis, as Anserini's BEIR baselines use it: standard tokenization, possessive
/// removal, lower-casing, Lucene's English stop words and the Porter stemmer. A dependency-free reimplementation of
/// Lucene 4.8's EnglishAnalyzer (LUCENE_48, default settings) that yields the same terms; safe to share across
/// threads.</summary>
public sealed class EnglishTextAnalyzer : IDisposable
{
    /// <summary>The index terms of <paramref name="text"/>, in order, repeats kept.</summary>
    public List<string> Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<string>();
        Span<char> term = stackalloc char[StandardWordScanner.MaxTokenLength];
        var scanner = new StandardWordScanner(text);
        while (scanner.TryNext(out int start, out int length))
        {
            var token = WithoutPossessive(text.AsSpan(start, length));
            var lowered = term[..token.Length];
            LowerCase(token, lowered);
            if (EnglishStopWords.Contains(lowered))
                continue;
            terms.Add(new string(lowered[..PorterStemmer.Stem(lowered)]));
        }
        return terms;
    }

    /// <summary>Nothing to release; kept so that callers written for the Lucene-backed version compile unchanged.</summary>
    public void Dispose()
    {
    }

    /// <summary>EnglishPossessiveFilter: a trailing 's or 'S after an ASCII, right single or fullwidth apostrophe goes.</summary>
    private static ReadOnlySpan<char> WithoutPossessive(ReadOnlySpan<char> token) =>
        token.Length >= 2 && token[^2] is '\'' or '\u2019' or '\uFF07' && token[^1] is 's' or 'S' ? token[..^2] : token;

    /// <summary>LowerCaseFilter: per code point, with the invariant culture's simple mapping (which keeps the length).</summary>
    private static void LowerCase(ReadOnlySpan<char> token, Span<char> destination)
    {
        for (int i = 0; i < token.Length; i++)
        {
            char c = token[i];
            if (char.IsHighSurrogate(c) && i + 1 < token.Length && char.IsLowSurrogate(token[i + 1]))
                Rune.ToLowerInvariant(new Rune(c, token[++i])).EncodeToUtf16(destination[(i - 1)..]);
            else
                destination[i] = char.ToLowerInvariant(c);
        }
    }
}
