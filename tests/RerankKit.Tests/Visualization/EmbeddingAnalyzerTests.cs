using RerankKit.Visualization;

namespace RerankKit.Tests.Visualization;

public class EmbeddingAnalyzerTests
{
    private static readonly QueryPositivePair[] Pairs = Enumerable.Range(0, 30)
        .Select(i => new QueryPositivePair($"topic{i % 3} question item{i}", $"topic{i % 3} answer item{i}")).ToArray();

    [Fact]
    public void Subsamples_to_max_samples_in_file_order_and_reproducibly()
    {
        using var encoder = new HashingBiEncoder("hashing");
        var options = new EmbeddingAnalysisOptions { MaxSamples = 10, SkipTsne = true, SkipUmap = true, Seed = 7 };

        var first = EmbeddingAnalyzer.Analyze(encoder, Pairs, options);
        var second = EmbeddingAnalyzer.Analyze(encoder, Pairs, options);

        Assert.Equal(10, first.Pairs.Count);
        var positions = first.Pairs.Select(p => Array.IndexOf(Pairs, p)).ToArray();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(first.Pairs, second.Pairs);
        Assert.Empty(first.Projections);
    }

    [Fact]
    public void Statistics_are_those_of_the_encoders_vectors()
    {
        using var encoder = new HashingBiEncoder("hashing");

        var analysis = EmbeddingAnalyzer.Analyze(encoder, Pairs, new EmbeddingAnalysisOptions { SkipTsne = true, BatchSize = 4 });

        var expected = SimilarityStatistics.Compute(encoder.Encode(Pairs.Select(p => p.Query).ToList()), encoder.Encode(Pairs.Select(p => p.Positive).ToList()));
        Assert.Equal(expected.PositiveMean, analysis.Statistics.PositiveMean, 5);
        Assert.Equal(expected.NegativeStd, analysis.Statistics.NegativeStd, 5);
        Assert.Equal(expected.Ranks, analysis.Statistics.Ranks);
        var umap = Assert.Single(analysis.Projections);
        Assert.Equal("umap", umap.Method);
        Assert.Equal(60, umap.Coordinates.Length);
        Assert.InRange(umap.Trustworthiness, 0, 1);
    }

    [Fact]
    public void Encodes_in_chunks_so_progress_can_be_reported()
    {
        using var encoder = new HashingBiEncoder("hashing");
        var reports = new List<(string Stage, double Fraction)>();

        EmbeddingAnalyzer.Analyze(encoder, Pairs, new EmbeddingAnalysisOptions { SkipTsne = true, SkipUmap = true, BatchSize = 2 }, new Collect(reports));

        // 30 texts per side in chunks of 4 batches of 2: 4 calls per side.
        Assert.Equal(8, encoder.Calls);
        Assert.Equal(1.0, reports.Last(r => r.Stage == "Encoding queries").Fraction);
        Assert.Equal(1.0, reports.Last(r => r.Stage == "Encoding positives").Fraction);
    }

    private sealed class Collect(List<(string, double)> list) : IProgress<(string Stage, double Fraction)>
    {
        public void Report((string Stage, double Fraction) value) => list.Add(value);
    }
}
