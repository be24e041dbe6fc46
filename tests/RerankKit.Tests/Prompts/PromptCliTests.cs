using System.Text.Json;
using RerankKit.Tests.Cli;

namespace RerankKit.Tests.Prompts;

public class PromptCliTests
{
    private static double[] Embedding(CliProcess.Result run)
    {
        Assert.True(run.ExitCode == 0, run.Stderr);
        return JsonDocument.Parse(run.Stdout).RootElement.GetProperty("embedding").EnumerateArray().Select(x => x.GetDouble()).ToArray();
    }

    [Fact]
    public void EmbedTakesPromptNamePromptAndTruncateDim()
    {
        using var fixture = new PromptFixture("""{ "prompts": { "query": "query: " } }""");
        var byHand = Embedding(CliProcess.Run("embed", "--model", fixture.Path, "--text", "query: where is the cat"));
        Assert.Equal(byHand, Embedding(CliProcess.Run("embed", "--model", fixture.Path, "--text", "where is the cat", "--prompt-name", "query")));
        Assert.Equal(byHand, Embedding(CliProcess.Run("embed", "--model", fixture.Path, "--text", "where is the cat", "--prompt", "query: ")));

        var truncated = Embedding(CliProcess.Run("embed", "--model", fixture.Path, "--text", "where is the cat", "--truncate-dim", "8"));
        Assert.Equal(8, truncated.Length);
        Assert.Equal(1, Math.Sqrt(truncated.Sum(x => x * x)), 1e-5);
    }

    [Fact]
    public void AnUnknownPromptNameOrATooLargeTruncateDimIsAUserError()
    {
        using var fixture = new PromptFixture("""{ "prompts": { "query": "query: " } }""");
        CliAssert.UserError(CliProcess.Run("embed", "--model", fixture.Path, "--text", "t", "--prompt-name", "qeury"), "prompt name 'qeury'");
        CliAssert.UserError(CliProcess.Run("embed", "--model", fixture.Path, "--text", "t", "--truncate-dim", "33"), "1..32");
        CliAssert.UserError(CliProcess.Run("embed", "--model", fixture.Path, "--text", "t", "--truncate-dim", "0"), "--truncate-dim");
    }
}
