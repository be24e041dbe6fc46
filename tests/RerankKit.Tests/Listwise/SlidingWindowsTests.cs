using RerankKit.Listwise;

namespace RerankKit.Tests.Listwise;

public sealed class SlidingWindowsTests
{
    [Fact]
    public void RankGptDefaultsOverAHundredDocumentsRunFromTheBackInStepsOfTen()
    {
        var windows = SlidingWindows.Plan(100, 20, 10);
        var expected = Enumerable.Range(0, 9).Select(i => (80 - 10 * i, 100 - 10 * i)).ToArray();
        Assert.Equal(expected, windows);
    }

    [Fact]
    public void TheLastWindowIsClampedToStartAtTheTopSoTheTopIsAlwaysRanked()
    {
        // 25 - 20 is not a multiple of 10: RankGPT's own loop would stop after (5, 25) and never rank positions 0-4.
        Assert.Equal([(5, 25), (0, 15)], SlidingWindows.Plan(25, 20, 10));
    }

    [Fact]
    public void AListNoLongerThanTheWindowIsOneWindow()
    {
        Assert.Equal([(0, 10)], SlidingWindows.Plan(10, 20, 10));
        Assert.Equal([(0, 20)], SlidingWindows.Plan(20, 20, 10));
        Assert.Empty(SlidingWindows.Plan(0, 20, 10));
    }

    [Fact]
    public void EveryPositionIsInSomeWindowAndConsecutiveWindowsOverlapBySizeMinusStep()
    {
        foreach (int count in new[] { 1, 7, 19, 20, 21, 33, 100 })
        foreach (var (size, step) in new[] { (20, 10), (5, 2), (4, 4), (3, 1) })
        {
            var windows = SlidingWindows.Plan(count, size, step);
            Assert.Equal(count, windows[0].End);
            Assert.Equal(0, windows[^1].Start);
            Assert.All(windows, w => Assert.InRange(w.End - w.Start, 1, size));
            for (int i = 1; i < windows.Count; i++)
            {
                Assert.Equal(windows[i - 1].End - step, windows[i].End);
                Assert.Equal(Math.Min(size - step, windows[i].End - windows[i].Start), windows[i].End - windows[i - 1].Start);
            }
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(5, 0)]
    [InlineData(5, 6)]
    public void ABadSizeOrStepIsRefused(int size, int step) =>
        Assert.Throws<ArgumentException>(() => SlidingWindows.Plan(10, size, step));
}
