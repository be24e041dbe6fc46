using System.Text.RegularExpressions;
using RerankKit.Tests.Cli;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Bundled;

/// <summary>README's first command, the main job, runs as written on a fresh offline machine: an empty HF cache, no
/// network, and only the repository's own samples/corpus (no ../shared).</summary>
public partial class ReadmeMainJobTests
{
    private const string DotnetRun = "dotnet run --project src/RerankKit.Cli -c Release -- ";

    // A word, or a double-quoted string without escapes: all README's commands need.
    [GeneratedRegex("\"([^\"]*)\"|(\\S+)")]
    private static partial Regex Argument();

    [Fact]
    public void TheFirstReadmeCommandIndexesAndSearchesHybridOfflineFromAnEmptyCache()
    {
        string readme = File.ReadAllText(Path.Combine(SharedData.RepoRoot, "README.md"));
        string block = readme[(readme.IndexOf("```bash\n", StringComparison.Ordinal) + 8)..];
        string firstCommand = block.Split('\n').First(l => l.Length > 0 && !l.StartsWith('#'));
        string[] steps = firstCommand.Split(" && ");
        Assert.Equal(2, steps.Length);

        using var machine = new ScratchFolder();
        CopyFolder(Path.Combine(SharedData.RepoRoot, "samples", "corpus"), Path.Combine(machine.Path, "samples", "corpus"));
        var environment = new Dictionary<string, string> { ["HF_HUB_CACHE"] = Path.Combine(machine.Path, "hf-cache"), ["HF_HUB_OFFLINE"] = "1" };
        CliProcess.Result? last = null;
        foreach (string step in steps)
        {
            Assert.StartsWith(DotnetRun, step);
            string[] args = Argument().Matches(step[DotnetRun.Length..]).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToArray();
            last = CliProcess.RunIn(machine.Path, environment, args);
            Assert.True(last.ExitCode == 0, $"{step}: {last.Stderr}");
        }

        Assert.Contains("hybrid", steps[1]);
        Assert.Matches(@"│ 1\s+│.*gpu-memory\.md", last!.Stdout);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
