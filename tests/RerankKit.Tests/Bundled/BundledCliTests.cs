using System.Text.Json;
using RerankKit.Models.Bundled;
using RerankKit.Tests.Cli;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Bundled;

/// <summary>The tool carries the bundled models: on a machine with an empty cache and no network, their hub ids work.</summary>
public class BundledCliTests
{
    private static CliProcess.Result Run(string cacheDir, params string[] args) =>
        CliProcess.RunWithEnvironment(new Dictionary<string, string> { ["HF_HUB_CACHE"] = cacheDir, ["HF_HUB_OFFLINE"] = "1" }, args);

    [Fact]
    public void EmbedByHubIdWorksOfflineFromAnEmptyCache()
    {
        using var cache = new ScratchFolder();
        var result = Run(cache.Path, "embed", "--model", BundledModelCatalog.MiniLM, "--text", BundledModelTests.ExampleSentence);

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        float[] embedding = json.RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        for (int i = 0; i < BundledModelTests.MiniLMExampleStart.Length; i++)
            Assert.Equal(BundledModelTests.MiniLMExampleStart[i], embedding[i], 1e-5f);
    }

    [Fact]
    public void ModelsListShowsTheBundledModelsAndWhatTheCacheHolds()
    {
        using var cache = new ScratchFolder();
        const string commit = "0123456789abcdef0123456789abcdef01234567";
        cache.Write("models--cross-encoder--ms-marco-MiniLM-L6-v2/refs/main", commit);
        cache.Write($"models--cross-encoder--ms-marco-MiniLM-L6-v2/snapshots/{commit}/config.json", "{}");

        var json = Run(cache.Path, "models", "list", "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        var rows = json.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(["Snowflake/snowflake-arctic-embed-xs", "cross-encoder/ms-marco-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"],
            rows.Select(r => r.GetProperty("model").GetString()!));
        Assert.Equal([true, false, true], rows.Select(r => r.GetProperty("bundled").GetBoolean()));
        Assert.Equal(commit, rows[1].GetProperty("main_commit").GetString());
        Assert.Equal(commit, rows[1].GetProperty("snapshots")[0].GetString());

        var table = Run(cache.Path, "models", "list");
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains(BundledModelCatalog.MiniLM, table.Stdout);
        Assert.Contains(commit[..12], table.Stdout);
        Assert.Contains(BundledModelCatalog.ArcticEmbedXs, table.Stdout);
    }
}
