using RerankKit.Seq2Seq;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Seq2Seq;

/// <summary>duoT5's relevance score, the edges the serve tests do not reach: the sym-sum of k compared documents over
/// its maximum 2(k − 1), 0 for an unscored document, and 0.5 for a lone document (nothing to compare).</summary>
public sealed class DuoT5RelevanceScoreTests
{
    private static Task<IReranker> Duo(int? topK) =>
        Rerankers.LoadAsync(SharedData.Fixture("tiny-duot5-reranker"), new RerankerOptions { Scoring = T5Scoring.DuoT5, DuoTopK = topK });

    [Fact]
    public async Task The_sym_sum_over_its_maximum_and_zero_for_the_unscored()
    {
        using var duo = await Duo(null);
        // Two compared documents: sym-sum at most 2; the third is beyond the duo top-k.
        Assert.Equal([0.8f, 0.2f, 0f], duo.RelevanceScores("q", [1.6f, 0.4f, float.NaN]));
    }

    [Fact]
    public async Task A_single_document_compared_with_nothing_is_even()
    {
        using var duo = await Duo(null);
        var ranked = await duo.RankAsync("how do plants grow", ["Plants need light."]);
        Assert.Equal(0f, Assert.Single(ranked).Score);
        Assert.Equal([0.5f], duo.RelevanceScores("how do plants grow", [ranked[0].Score]));
    }
}
