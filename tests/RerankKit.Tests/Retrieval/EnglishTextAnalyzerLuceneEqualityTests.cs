using System.Text.Json;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;
using RerankKit.Retrieval;
using RerankKit.Tests.Infrastructure;
using Xunit;

namespace RerankKit.Tests.Retrieval;

/// <summary>Our dependency-free <see cref="EnglishTextAnalyzer"/> must give exactly the terms of Lucene.Net's
/// EnglishAnalyzer (LUCENE_48, default settings), which BM25 baselines such as Anserini's were indexed with. Lucene is
/// referenced by this test project only, as the reference.</summary>
public sealed class EnglishTextAnalyzerLuceneEqualityTests : IDisposable
{
    private const int MaxReportedMismatches = 5;

    private readonly EnglishTextAnalyzer _ours = new();
    private readonly Analyzer _lucene = new EnglishAnalyzer(LuceneVersion.LUCENE_48);

    public void Dispose()
    {
        _ours.Dispose();
        _lucene.Dispose();
    }

    [Fact]
    public void SciFact_corpus_titles_texts_and_both_together_match_Lucene()
    {
        var texts = new List<string>();
        foreach (var document in JsonLines("datasets/scifact/corpus.jsonl"))
        {
            string title = document.GetProperty("title").GetString() ?? "";
            string text = document.GetProperty("text").GetString() ?? "";
            texts.AddRange([title + " " + text, title, text]);
        }

        AssertSameTerms(texts, expectedTexts: 3 * 5_183);
    }

    [Fact]
    public void SciFact_queries_match_Lucene()
    {
        var queries = JsonLines("datasets/scifact/queries.jsonl").Select(query => query.GetProperty("text").GetString() ?? "").ToList();

        AssertSameTerms(queries, expectedTexts: 1_109);
    }

    // Examples from Porter (1980), "An algorithm for suffix stripping", run through the whole algorithm.
    [Theory]
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("ties", "ti")]
    [InlineData("cats", "cat")]
    [InlineData("feed", "feed")]
    [InlineData("agreed", "agre")]
    [InlineData("plastered", "plaster")]
    [InlineData("motoring", "motor")]
    [InlineData("conflated", "conflat")]
    [InlineData("troubled", "troubl")]
    [InlineData("sized", "size")]
    [InlineData("hopping", "hop")]
    [InlineData("falling", "fall")]
    [InlineData("hissing", "hiss")]
    [InlineData("filing", "file")]
    [InlineData("happy", "happi")]
    [InlineData("sky", "sky")]
    [InlineData("relational", "relat")]
    [InlineData("conditional", "condit")]
    [InlineData("rational", "ration")]
    [InlineData("valenci", "valenc")]
    [InlineData("digitizer", "digit")]
    [InlineData("radicalli", "radic")]
    [InlineData("vietnamization", "vietnam")]
    [InlineData("predication", "predic")]
    [InlineData("operator", "oper")]
    [InlineData("feudalism", "feudal")]
    [InlineData("decisiveness", "decis")]
    [InlineData("hopefulness", "hope")]
    [InlineData("callousness", "callous")]
    [InlineData("sensibiliti", "sensibl")]
    [InlineData("triplicate", "triplic")]
    [InlineData("formative", "form")]
    [InlineData("electrical", "electr")]
    [InlineData("goodness", "good")]
    [InlineData("revival", "reviv")]
    [InlineData("allowance", "allow")]
    [InlineData("adjustable", "adjust")]
    [InlineData("replacement", "replac")]
    [InlineData("adoption", "adopt")]
    [InlineData("homologous", "homolog")]
    [InlineData("bowdlerize", "bowdler")]
    [InlineData("probate", "probat")]
    [InlineData("rate", "rate")]
    [InlineData("cease", "ceas")]
    [InlineData("controll", "control")]
    [InlineData("roll", "roll")]
    [InlineData("generalization", "gener")]
    [InlineData("oscillators", "oscil")]
    // Where Lucene follows Porter's reference code rather than the paper: -bli to -ble, and the extra -logi rule.
    [InlineData("possibly", "possibl")]
    [InlineData("archaeology", "archaeolog")]
    public void Porter_stems_follow_the_paper_as_Lucene_implements_it(string word, string stem)
    {
        Assert.Equal([stem], LuceneTerms(word));
        Assert.Equal([stem], _ours.Analyze(word));
    }

    private void AssertSameTerms(IReadOnlyList<string> texts, int expectedTexts)
    {
        Assert.Equal(expectedTexts, texts.Count);
        var mismatches = new List<string>();
        long terms = 0;
        foreach (string text in texts)
        {
            var expected = LuceneTerms(text);
            var actual = _ours.Analyze(text);
            terms += expected.Count;
            if (!expected.SequenceEqual(actual) && mismatches.Count < MaxReportedMismatches)
                mismatches.Add($"text: {text}\n  lucene: {string.Join(" ", expected)}\n  ours:   {string.Join(" ", actual)}");
        }
        Assert.True(terms > 0, "Lucene produced no terms at all: the data is not what this test expects.");
        Assert.True(mismatches.Count == 0, "Terms differ from Lucene's:\n" + string.Join("\n", mismatches));
    }

    private List<string> LuceneTerms(string text)
    {
        var terms = new List<string>();
        using var stream = _lucene.GetTokenStream("contents", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
            terms.Add(term.ToString());
        stream.End();
        return terms;
    }

    private static IEnumerable<JsonElement> JsonLines(string relative)
    {
        foreach (string line in File.ReadLines(SharedData.Get(relative)))
        {
            using var json = JsonDocument.Parse(line);
            yield return json.RootElement.Clone();
        }
    }
}
