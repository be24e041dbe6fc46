using System.Numerics.Tensors;

namespace RerankKit.Visualization;

/// <summary>How well queries find their own positive among all positives: cosine similarity of query i
/// to positive j, the diagonal being each query's own positive (standard deviations are population ones,
/// ddof 0). A query's rank counts every other positive scoring at least as high as its own (ties are
/// resolved against the query).</summary>
public sealed record SimilarityStatistics
{
    public required int Pairs { get; init; }

    public required double PositiveMean { get; init; }

    public required double PositiveStd { get; init; }

    public required double NegativeMean { get; init; }

    public required double NegativeStd { get; init; }

    /// <summary>PositiveMean - NegativeMean.</summary>
    public required double Margin { get; init; }

    /// <summary>Margin / (PositiveStd + NegativeStd), in standard deviations ("sigma").</summary>
    public required double Separation { get; init; }

    public required double Mrr { get; init; }

    public required double RecallAt1 { get; init; }

    public required double RecallAt5 { get; init; }

    public required double RecallAt10 { get; init; }

    /// <summary>Mean over queries of the best score minus the second best.</summary>
    public required double MeanTop1Top2Gap { get; init; }

    /// <summary>Rank of each query's own positive, 1-based.</summary>
    public required int[] Ranks { get; init; }

    /// <summary>Cosine of query i (row) to positive j (column).</summary>
    public required double[][] Similarity { get; init; }

    public static SimilarityStatistics Compute(IReadOnlyList<float[]> queries, IReadOnlyList<float[]> positives)
    {
        int n = queries.Count;
        if (n < 2 || positives.Count != n)
            throw new ArgumentException($"Need at least 2 query/positive pairs of equal count; got {queries.Count} queries and {positives.Count} positives.");
        var similarity = new double[n][];
        for (int i = 0; i < n; i++)
        {
            similarity[i] = new double[n];
            for (int j = 0; j < n; j++)
                similarity[i][j] = TensorPrimitives.CosineSimilarity<float>(queries[i], positives[j]);
        }
        return FromSimilarity(similarity);
    }

    public static SimilarityStatistics FromSimilarity(double[][] similarity)
    {
        int n = similarity.Length;
        var positive = Enumerable.Range(0, n).Select(i => similarity[i][i]).ToArray();
        var negative = Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(0, n).Where(j => j != i).Select(j => similarity[i][j])).ToArray();
        var (posMean, posStd) = MeanStd(positive);
        var (negMean, negStd) = MeanStd(negative);
        var ranks = new int[n];
        double gap = 0;
        for (int i = 0; i < n; i++)
        {
            var row = similarity[i];
            ranks[i] = 1 + Enumerable.Range(0, n).Count(j => j != i && row[j] >= row[i]);
            var sorted = row.OrderByDescending(v => v).ToArray();
            gap += sorted[0] - sorted[1];
        }
        double margin = posMean - negMean;
        double spread = posStd + negStd;
        return new SimilarityStatistics
        {
            Pairs = n,
            PositiveMean = posMean,
            PositiveStd = posStd,
            NegativeMean = negMean,
            NegativeStd = negStd,
            Margin = margin,
            Separation = spread > 0 ? margin / spread : margin > 0 ? double.PositiveInfinity : 0,
            Mrr = ranks.Average(r => 1.0 / r),
            RecallAt1 = ranks.Average(r => r <= 1 ? 1.0 : 0),
            RecallAt5 = ranks.Average(r => r <= 5 ? 1.0 : 0),
            RecallAt10 = ranks.Average(r => r <= 10 ? 1.0 : 0),
            MeanTop1Top2Gap = gap / n,
            Ranks = ranks,
            Similarity = similarity,
        };
    }

    private static (double Mean, double Std) MeanStd(double[] values)
    {
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Average(v => (v - mean) * (v - mean))));
    }
}
