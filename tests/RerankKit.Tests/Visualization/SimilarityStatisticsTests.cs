using RerankKit.Visualization;

namespace RerankKit.Tests.Visualization;

public class SimilarityStatisticsTests
{
    // Rows are queries, columns positives; query 1 ranks positive 2 (0.85) above its own (0.8).
    private static readonly double[][] Matrix =
    [
        [0.9, 0.2, 0.1],
        [0.3, 0.8, 0.85],
        [0.0, 0.4, 0.7],
    ];

    [Fact]
    public void Statistics_match_hand_computed_values()
    {
        var s = SimilarityStatistics.FromSimilarity(Matrix);

        double posMean = (0.9 + 0.8 + 0.7) / 3;
        double posStd = Math.Sqrt((0.01 + 0 + 0.01) / 3);
        double negMean = (0.2 + 0.1 + 0.3 + 0.85 + 0.0 + 0.4) / 6;
        double negStd = Math.Sqrt(new[] { 0.2, 0.1, 0.3, 0.85, 0.0, 0.4 }.Sum(v => (v - negMean) * (v - negMean)) / 6);
        Assert.Equal(0.8, s.PositiveMean, 12);
        Assert.Equal(posStd, s.PositiveStd, 12);
        Assert.Equal(0.308333333333, s.NegativeMean, 9);
        Assert.Equal(negStd, s.NegativeStd, 12);
        Assert.Equal(0.274494, s.NegativeStd, 5);
        Assert.Equal(posMean - negMean, s.Margin, 12);
        Assert.Equal((posMean - negMean) / (posStd + negStd), s.Separation, 12);
        Assert.Equal(1.38053, s.Separation, 4);
        Assert.Equal([1, 2, 1], s.Ranks);
        Assert.Equal((1 + 0.5 + 1) / 3, s.Mrr, 12);
        Assert.Equal(2.0 / 3, s.RecallAt1, 12);
        Assert.Equal(1.0, s.RecallAt5, 12);
        Assert.Equal(1.0, s.RecallAt10, 12);
        Assert.Equal((0.7 + 0.05 + 0.3) / 3, s.MeanTop1Top2Gap, 12);
    }

    [Fact]
    public void Cosine_similarity_is_taken_from_the_vectors_whatever_their_length()
    {
        float[][] queries = [[1, 0], [0, 2]];
        float[][] positives = [[3, 0], [1, 1]];

        var s = SimilarityStatistics.Compute(queries, positives);

        double half = Math.Sqrt(0.5);
        Assert.Equal(1.0, s.Similarity[0][0], 6);
        Assert.Equal(half, s.Similarity[0][1], 6);
        Assert.Equal(0.0, s.Similarity[1][0], 6);
        Assert.Equal(half, s.Similarity[1][1], 6);
        Assert.Equal((1 + half) / 2, s.PositiveMean, 6);
        Assert.Equal(half / 2, s.NegativeMean, 6);
        // Query 0: own 1.0 beats 0.707; query 1: own 0.707 beats 0.
        Assert.Equal([1, 1], s.Ranks);
    }

    [Fact]
    public void A_tie_with_another_positive_counts_against_the_query()
    {
        var s = SimilarityStatistics.FromSimilarity([[0.5, 0.5], [0.1, 0.9]]);

        Assert.Equal([2, 1], s.Ranks);
        Assert.Equal(0.0, s.MeanTop1Top2Gap - (0.0 + 0.8) / 2, 12);
    }

    [Fact]
    public void Checklist_marks_each_item_and_gives_a_verdict()
    {
        double[][] matrix = [[0.9, 0.2, 0.1], [0.3, 0.75, 0.85], [0.0, 0.4, 0.7]];

        var checklist = DeploymentChecklist.Evaluate(SimilarityStatistics.FromSimilarity(matrix));

        // margin 0.783 - 0.308 = 0.475 > 0.25; separation 0.475 / (0.085 + 0.274) = 1.32 <= 2; diagonal 0.783 <= 0.8;
        // off-diagonal 0.308 < 0.6; 67% at rank 1 <= 85%; gap (0.7 + 0.1 + 0.3) / 3 = 0.367 > 0.1.
        Assert.Equal([true, false, false, true, false, true], checklist.Items.Select(i => i.Passed));
        Assert.Equal(3, checklist.PassedCount);
        Assert.StartsWith("Not ready: only 3 of 6", checklist.Verdict);
    }

    [Fact]
    public void Checklist_passes_a_clean_identity_matrix()
    {
        var identity = Enumerable.Range(0, 4).Select(i => Enumerable.Range(0, 4).Select(j => i == j ? 0.95 : 0.1).ToArray()).ToArray();

        var checklist = DeploymentChecklist.Evaluate(SimilarityStatistics.FromSimilarity(identity));

        Assert.True(checklist.AllPassed);
        Assert.Equal("Ready to deploy: all 6 checks pass.", checklist.Verdict);
    }
}
