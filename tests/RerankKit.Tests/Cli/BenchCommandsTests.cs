using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

public class BenchCommandsTests
{
    [Fact]
    public void BenchRerankPrintsEveryRunAndTheFormula()
    {
        var run = CliProcess.Run("bench", "rerank", "--model", SharedData.Fixture("tiny-bert-reranker"), "--docs", "6", "--tokens", "30", "--iterations", "1", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.Stderr);
        foreach (string expected in new[] { "FLOPs(L) = layers", "equal, end to end", "equal, bare session", "spread, end to end", "spread, bare, all padded to longest", "pairs/s", "% of the bare session" })
            Assert.Contains(expected, run.Stdout);
    }

    [Fact]
    public void BenchRejectsZeroDocuments()
    {
        var run = CliProcess.Run("bench", "rerank", "--model", SharedData.Fixture("tiny-bert-reranker"), "--docs", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--docs must be at least 1", run.Stderr);
    }
}
