using System.Text.Json;
using RerankKit.Seq2Seq;
using RerankKit.Tests.Engine;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Seq2Seq;

/// <summary>Text in, golden out: the folder's own tokenizer.json (the tokenizer runtime) must give every golden
/// input's ids exactly (template, truncation to 511 and <c>&lt;/s&gt;</c>), and the loaded reranker the golden scores.</summary>
public sealed class T5TextGoldenTests
{
    private const double Tolerance = 1e-4;

    private static Seq2SeqReranker Load(string fixture, T5Scoring scoring) =>
        Seq2SeqReranker.LoadAsync(SharedData.Fixture(fixture), new Seq2SeqRerankerOptions { Scoring = scoring, BatchSize = 4 }).GetAwaiter().GetResult();

    [Theory]
    [InlineData("tiny-monot5-reranker", T5Scoring.MonoT5)]
    [InlineData("tiny-rankt5-reranker", T5Scoring.RankT5)]
    public void Templates_and_ids_match_and_scores_match_from_text(string fixture, T5Scoring scoring)
    {
        var cases = Golden.Of(fixture).Cases.ToArray();
        using var reranker = Load(fixture, scoring);
        foreach (var c in cases)
        {
            string query = c.GetProperty("query").GetString()!, document = c.GetProperty("document").GetString()!;
            string text = reranker.FormatPointwise(query, document);
            Assert.Equal(c.GetProperty("input_text").GetString(), text);
            Assert.Equal(Golden.Ints(c, "input_ids"), reranker.Tokenize(text).InputIds);
            Assert.Equal(c.GetProperty("score").GetDouble(), reranker.Score(query, [document])[0], Tolerance);
        }
    }

    [Fact]
    public async Task DuoT5_from_text_gives_the_golden_pairs_sym_sum_and_ranking()
    {
        var golden = Golden.Of("tiny-duot5-reranker").Root;
        string query = golden.GetProperty("query").GetString()!;
        string[] documents = golden.GetProperty("documents").EnumerateArray().Select(d => d.GetString()!).ToArray();
        using var reranker = Load("tiny-duot5-reranker", T5Scoring.DuoT5);
        foreach (var pair in golden.GetProperty("pairs").EnumerateArray())
        {
            string text = Seq2SeqReranker.FormatPair(query, documents[pair.GetProperty("i").GetInt32()], documents[pair.GetProperty("j").GetInt32()]);
            Assert.Equal(pair.GetProperty("input_text").GetString(), text);
            Assert.Equal(Golden.Ints(pair, "input_ids"), reranker.Tokenize(text).InputIds);
        }
        var ranked = await reranker.RankAsync(query, documents);
        Assert.Equal(Golden.Ints(golden, "ranking"), ranked.Select(r => r.Index));
        var symSum = golden.GetProperty("sym_sum").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        foreach (var r in ranked)
            Assert.Equal(symSum[r.Index], r.Score, Tolerance);
        Assert.Equal("duot5", reranker.ScoreKind);
    }

    [Fact]
    public async Task DuoT5_top_k_compares_only_the_first_k_and_leaves_the_rest_unscored_in_order()
    {
        var golden = Golden.Of("tiny-duot5-reranker").Root;
        string query = golden.GetProperty("query").GetString()!;
        string[] documents = golden.GetProperty("documents").EnumerateArray().Select(d => d.GetString()!).ToArray();
        using var reranker = await Seq2SeqReranker.LoadAsync(SharedData.Fixture("tiny-duot5-reranker"),
            new Seq2SeqRerankerOptions { Scoring = T5Scoring.DuoT5, DuoTopK = 3 });
        var ranked = await reranker.RankAsync(query, documents);
        // Sym-sum over 3 documents is a different number from over 5, so check the top three by their own pairs.
        var probabilities = reranker.PairProbabilities(query, documents.Take(3).ToArray());
        var expected = Seq2SeqReranker.SymSum(probabilities);
        Assert.Equal(Enumerable.Range(0, 3).OrderByDescending(i => expected[i]), ranked.Take(3).Select(r => r.Index));
        Assert.Equal([3, 4], ranked.Skip(3).Select(r => r.Index));
        Assert.All(ranked.Skip(3), r => Assert.True(float.IsNaN(r.Score)));
    }
}
