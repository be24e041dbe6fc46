using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace RerankKit.Retrieval;

/// <summary>Lucene's English analysis, as Anserini's BEIR baselines use it: standard tokenization, possessive
/// removal, lower-casing, Lucene's English stop words and the Porter stemmer.</summary>
public sealed class EnglishTextAnalyzer : IDisposable
{
    private readonly EnglishAnalyzer _analyzer = new(LuceneVersion.LUCENE_48);

    /// <summary>The index terms of <paramref name="text"/>, in order, repeats kept.</summary>
    public List<string> Analyze(string text)
    {
        var terms = new List<string>();
        using var stream = _analyzer.GetTokenStream("contents", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
            terms.Add(term.ToString());
        stream.End();
        return terms;
    }

    public void Dispose() => _analyzer.Dispose();
}
