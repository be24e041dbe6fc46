namespace RerankKit.Tests.Cli;

/// <summary>What a user error looks like from outside: exit 2, one line on stderr, no stack trace, nothing on stdout.</summary>
internal static class CliAssert
{
    public static void UserError(CliProcess.Result run, string expected)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}; stderr: {run.Stderr}");
        Assert.Equal("", run.Stdout);
        string[] lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got: {run.Stderr}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", run.Stderr);
    }
}
