using RerankKit.Training.Data;
using RerankKit.Training.Mining;

namespace RerankKit.Tests.Training;

public sealed class HardNegativeMinerTests
{
    /// <summary>Scores given per query, by corpus position.</summary>
    private sealed class TableScorer(Dictionary<string, float[]> table) : ICorpusScorer
    {
        public string Name => "table";
        public int CorpusSize => table.First().Value.Length;
        public float[] ScoreAll(string query) => (float[])table[query].Clone();
    }

    private static readonly string[] Corpus = ["d0", "d1", "d2", "d3", "d4", "d5"];

    // Positives 1 and 4. Non-positive ranking: d3 (9), d0 (7), d5 (5), d2 (1).
    private static readonly TableScorer Scorer = new(new() { ["q"] = [7f, 8f, 1f, 9f, 6f, 5f] });

    private static readonly MiningQuery Query = new("q1", "q", [1, 4]);

    [Fact]
    public void KnownPositivesAreNeverNegativesAndTopTakesTheBest()
    {
        var result = HardNegativeMiner.Mine([Query], Corpus, Scorer, new MiningOptions { NumNegatives = 2 });
        Assert.Equal(2, result.Rows.Count);
        Assert.All(result.Rows, r => Assert.Equal([3, 0], r.Negatives.Select(n => n.Document)));
        Assert.Equal([8f, 6f], result.PositiveScores);
    }

    [Fact]
    public void RangeAndAbsoluteMarginFilterRelativeToEachPositive()
    {
        var options = new MiningOptions { NumNegatives = 3, RangeMin = 1, RangeMax = 4, Margin = 1.5f };
        var result = HardNegativeMiner.Mine([Query], Corpus, Scorer, options);
        // Window after skipping d3: d0 (7), d5 (5), d2 (1). Positive d1 (8): keeps scores <= 6.5 → d5, d2.
        Assert.Equal([5, 2], result.Rows[0].Negatives.Select(n => n.Document));
        // Positive d4 (6): keeps scores <= 4.5 → d2 only.
        Assert.Equal([2], result.Rows[1].Negatives.Select(n => n.Document));
        Assert.Equal(1 + 2, result.SkippedByMargin);
        Assert.Equal(2, result.RowsWithoutEnoughNegatives);
    }

    [Fact]
    public void RelativeMarginKeepsNegativesScoringAtMostOneMinusItTimesThePositive()
    {
        var relative = HardNegativeMiner.Mine([Query], Corpus, Scorer, new MiningOptions { NumNegatives = 3, RelativeMargin = 0.1f });
        // Positive d1 (8): keeps scores <= 7.2 → d0 (7), d5, d2; positive d4 (6): keeps <= 5.4 → d5, d2 (d3 at 9 never).
        Assert.Equal([0, 5, 2], relative.Rows[0].Negatives.Select(n => n.Document));
        Assert.Equal([5, 2], relative.Rows[1].Negatives.Select(n => n.Document));
        Assert.Equal(1 + 2, relative.SkippedByMargin);

        // With an absolute margin of 1.5 as well, both filters apply and the tighter one decides.
        var both = HardNegativeMiner.Mine([Query], Corpus, Scorer, new MiningOptions { NumNegatives = 3, RelativeMargin = 0.1f, Margin = 1.5f });
        Assert.Equal([5, 2], both.Rows[0].Negatives.Select(n => n.Document));
        Assert.Equal([2], both.Rows[1].Negatives.Select(n => n.Document));

        Assert.Throws<ArgumentException>(() => HardNegativeMiner.Mine([Query], Corpus, Scorer, new MiningOptions { RelativeMargin = 1f }));
    }

    [Fact]
    public void OutputFormatsFollowSentenceTransformers()
    {
        var triplets = HardNegativeMiner.Mine([Query], Corpus, Scorer, new MiningOptions { NumNegatives = 2 }).OutputRows().ToList();
        Assert.Equal(4, triplets.Count);
        Assert.Equal("d1", (string?)triplets[0]["positive"]);
        Assert.Equal("d3", (string?)triplets[0]["negative"]);

        var tuples = HardNegativeMiner.Mine([Query], Corpus, Scorer, new MiningOptions { NumNegatives = 3, Format = TrainingFormat.NTuple, Margin = 0f })
            .OutputRows().ToList();
        // Positive d1 (8) finds d0, d5, d2 at or below 8; positive d4 (6) finds only d5 and d2, so its row is dropped.
        Assert.Single(tuples);
        Assert.Equal("d0", (string?)tuples[0]["negative_1"]);
        Assert.Equal("d2", (string?)tuples[0]["negative_3"]);

        var pairs = HardNegativeMiner.Mine([Query], Corpus, Scorer, new MiningOptions { NumNegatives = 1, Format = TrainingFormat.LabeledPair }).OutputRows().ToList();
        Assert.Equal([1, 0, 1, 0], pairs.Select(p => (int)p["label"]!));
    }

    [Fact]
    public void RandomSamplingIsSeededAndStaysInsideTheWindow()
    {
        var options = new MiningOptions { NumNegatives = 2, Sampling = SamplingStrategy.Random, RangeMax = 3, Seed = 3 };
        var a = HardNegativeMiner.Mine([Query], Corpus, Scorer, options);
        var b = HardNegativeMiner.Mine([Query], Corpus, Scorer, options);
        Assert.Equal(a.Rows[0].Negatives, b.Rows[0].Negatives);
        Assert.All(a.Rows.SelectMany(r => r.Negatives), n => Assert.Contains(n.Document, new[] { 3, 0, 5 }));
    }
}
