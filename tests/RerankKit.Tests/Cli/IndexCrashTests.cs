using System.Text.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary>A rebuild of an index into its own folder, killed with SIGKILL at the worst moment (the new index written,
/// not yet swapped in), leaves the old index answering exactly as before; the next build cleans up after it.</summary>
public sealed class IndexCrashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rk-index-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Rebuild_killed_before_the_swap_leaves_the_old_index_answering_identically()
    {
        string corpusA = Path.Combine(SharedData.RepoRoot, "samples", "corpus");
        string corpusB = Path.Combine(_dir, "corpus-b");
        Directory.CreateDirectory(corpusB);
        File.WriteAllText(Path.Combine(corpusB, "lora.md"), "LoRA adapters are small. Low-rank adapters train fast and merge into the weights.");
        File.WriteAllText(Path.Combine(corpusB, "other.md"), "Nothing about adapters here, only tokens and attention heads.");
        string index = Path.Combine(_dir, "index");
        string[] search = ["search", "--index", index, "--query", "How does LoRA train low-rank adapters?", "--top-k", "3", "--json"];

        Assert.Equal(0, CliProcess.Run("index", "--corpus", corpusA, "--out", index).ExitCode);
        var before = CliProcess.Run(search);
        Assert.True(before.ExitCode == 0, before.Stderr);

        using (var rebuild = CliProcess.Start(new Dictionary<string, string> { ["RERANKKIT_TEST_PAUSE_BEFORE_SWAP"] = "1" },
                   "index", "--corpus", corpusB, "--out", index))
            CliProcess.KillWhenExists(rebuild, Path.Combine(_dir, ".index.new", "manifest.json"));

        var after = CliProcess.Run(search);
        Assert.True(after.ExitCode == 0, after.Stderr);
        Assert.Equal(Results(before.Stdout), Results(after.Stdout));

        var rebuilt = CliProcess.Run("index", "--corpus", corpusB, "--out", index);
        Assert.True(rebuilt.ExitCode == 0, rebuilt.Stderr);
        Assert.Contains("Indexed 2 documents", rebuilt.Stdout);
        Assert.Equal(["index"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Where(n => n!.Contains("index")));
        Assert.Empty(Directory.GetFiles(index, "*.tmp"));
    }

    /// <summary>The ranked hits of a search, without the timings that differ between runs.</summary>
    private static string Results(string searchJson)
    {
        using var json = JsonDocument.Parse(searchJson);
        return json.RootElement.GetProperty("results").GetRawText();
    }
}
