using RerankKit.Training;
using Xunit;

namespace RerankKit.Tests.Training;

public sealed class NoDuplicatesBatchesTests
{
    [Fact]
    public void EveryExampleStaysAndNoBatchRepeatsATextWhileOthersRemain()
    {
        // 40 examples over 10 queries: a query's four rows must land in four different batches of 8.
        var texts = Enumerable.Range(0, 40).Select(i => new[] { $"q{i % 10}", $"d{i}" }).ToArray();
        var shuffled = Enumerable.Range(0, 40).Reverse().ToList();

        var arranged = NoDuplicatesBatches.Arrange(shuffled, 8, i => texts[i]);

        Assert.Equal(Enumerable.Range(0, 40), arranged.Order());
        foreach (var batch in arranged.Chunk(8))
        {
            var batchTexts = batch.SelectMany(i => texts[i]).ToList();
            Assert.Equal(batchTexts.Count, batchTexts.Distinct().Count());
        }
    }

    [Fact]
    public void WhenOnlyDuplicatesRemainTheyFillTheLastBatchSoTheStepCountStays()
    {
        var texts = new[] { "a", "a", "a", "b" };

        var arranged = NoDuplicatesBatches.Arrange([0, 1, 2, 3], 2, i => [texts[i]]);

        Assert.Equal([0, 3, 1, 2], arranged);
    }

    [Fact]
    public void ExamplesWithoutDistinctTextsKeepTheShuffledOrder()
    {
        var arranged = NoDuplicatesBatches.Arrange([3, 1, 2, 0], 3, _ => []);

        Assert.Equal([3, 1, 2, 0], arranged);
    }
}
