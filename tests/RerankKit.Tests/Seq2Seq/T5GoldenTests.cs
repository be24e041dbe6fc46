using System.Text.Json;
using RerankKit.Seq2Seq;
using RerankKit.Tests.Engine;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Seq2Seq;

/// <summary>The T5 fixtures' goldens (float64 reference, ../shared/fixtures/README-seq2seq-colbert.md) from their own
/// input ids, one input at a time and batched with padding, within the README's 1e-4.</summary>
public sealed class T5GoldenTests
{
    private const double Tolerance = 1e-4;

    private static Seq2SeqReranker Open(string fixture, T5Scoring scoring, int batchSize) =>
        Seq2SeqReranker.Open(fixture, SharedData.Fixture(fixture), new IdsOnlyTokenizer(),
            new Seq2SeqRerankerOptions { Scoring = scoring, BatchSize = batchSize });

    private static int[][] Ids(IEnumerable<JsonElement> cases) => cases.Select(c => Golden.Ints(c, "input_ids")).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(12)]
    public void MonoT5_logits_and_log_p_true_match_every_case(int batchSize)
    {
        var cases = Golden.Of("tiny-monot5-reranker").Cases.ToArray();
        using var reranker = Open("tiny-monot5-reranker", T5Scoring.MonoT5, batchSize);
        var logits = reranker.StepLogits(Ids(cases), CancellationToken.None);
        var scores = reranker.ScoreIds(Ids(cases), CancellationToken.None);
        for (int i = 0; i < cases.Length; i++)
        {
            Assert.Equal(cases[i].GetProperty("logit_false").GetDouble(), logits[i][0], Tolerance);
            Assert.Equal(cases[i].GetProperty("logit_true").GetDouble(), logits[i][1], Tolerance);
            Assert.Equal(cases[i].GetProperty("score").GetDouble(), scores[i], Tolerance);
            Assert.Equal(cases[i].GetProperty("prob_true").GetDouble(), Math.Exp(scores[i]), Tolerance);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void RankT5_scores_are_the_extra_id_10_logit(int batchSize)
    {
        var cases = Golden.Of("tiny-rankt5-reranker").Cases.ToArray();
        using var reranker = Open("tiny-rankt5-reranker", T5Scoring.RankT5, batchSize);
        var logits = reranker.StepLogits(Ids(cases), CancellationToken.None);
        var scores = reranker.ScoreIds(Ids(cases), CancellationToken.None);
        for (int i = 0; i < cases.Length; i++)
        {
            Assert.Equal(cases[i].GetProperty("score").GetDouble(), scores[i], Tolerance);
            Assert.Equal(cases[i].GetProperty("logit_true").GetDouble(), logits[i][1], Tolerance);
            Assert.Equal(cases[i].GetProperty("logit_false").GetDouble(), logits[i][0], Tolerance);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20)]
    public void DuoT5_pair_probabilities_sym_sum_and_ranking_match(int batchSize)
    {
        var golden = Golden.Of("tiny-duot5-reranker").Root;
        var pairs = golden.GetProperty("pairs").EnumerateArray().ToArray();
        using var reranker = Open("tiny-duot5-reranker", T5Scoring.DuoT5, batchSize);
        var logits = reranker.StepLogits(Ids(pairs), CancellationToken.None);
        int n = golden.GetProperty("documents").GetArrayLength();
        var order = Seq2SeqReranker.OrderedPairs(n);
        var probabilities = new float[n][];
        for (int i = 0; i < n; i++)
            probabilities[i] = new float[n];
        for (int p = 0; p < pairs.Length; p++)
        {
            Assert.Equal((pairs[p].GetProperty("i").GetInt32(), pairs[p].GetProperty("j").GetInt32()), order[p]);
            Assert.Equal(pairs[p].GetProperty("logit_true").GetDouble(), logits[p][1], Tolerance);
            Assert.Equal(pairs[p].GetProperty("logit_false").GetDouble(), logits[p][0], Tolerance);
            float probability = MathF.Exp(Seq2SeqReranker.LogPTrue(logits[p]));
            Assert.Equal(pairs[p].GetProperty("prob_true").GetDouble(), probability, Tolerance);
            probabilities[order[p].I][order[p].J] = probability;
        }
        var symSum = Seq2SeqReranker.SymSum(probabilities);
        var expected = golden.GetProperty("sym_sum").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        for (int i = 0; i < n; i++)
            Assert.Equal(expected[i], symSum[i], Tolerance);
        var ranking = Enumerable.Range(0, n).OrderByDescending(i => symSum[i]).ToArray();
        Assert.Equal(Golden.Ints(golden, "ranking"), ranking);
    }

    [Fact]
    public void The_scoring_token_ids_come_from_the_tokenizer_and_equal_the_goldens()
    {
        var mono = Golden.Of("tiny-monot5-reranker").Root.GetProperty("scoring");
        var rank = Golden.Of("tiny-rankt5-reranker").Root.GetProperty("scoring");
        Assert.Equal(
            [mono.GetProperty("token_false_id").GetInt32(), mono.GetProperty("token_true_id").GetInt32(), rank.GetProperty("score_token_id").GetInt32()],
            T5Vocabulary.IdsOf(SharedData.Fixture("tiny-rankt5-reranker"), "▁false", "▁true", "<extra_id_10>"));
    }
}
