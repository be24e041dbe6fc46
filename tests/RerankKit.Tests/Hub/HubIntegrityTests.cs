using System.Security.Cryptography;
using RerankKit.Hub;
using RerankKit.Models;
using RerankKit.Tests.Cli;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Hub;

/// <summary>Downloads that are checked against the hub's sha256, share the cache safely with other downloads of the
/// same file, and give up with one line when the server stops sending.</summary>
public class HubIntegrityTests
{
    private const string Repo = "rerankkit-test/tiny-bert-reranker";
    private const string RepoFolder = "models--rerankkit-test--tiny-bert-reranker";
    private static readonly string Fixture = SharedData.Fixture("tiny-bert-reranker");
    private static readonly string OnnxSha256 = FakeHubServer.Hash(Path.Combine(Fixture, "onnx/model.onnx"), SHA256.Create());

    private static HubOptions Options(FakeHubServer server, string cache) =>
        new() { CacheDir = cache, Endpoint = server.Endpoint, Offline = false };

    [Fact]
    public async Task AnLfsBlobWhoseSha256DiffersFromTheLinkedEtagIsDiscarded()
    {
        await using var server = await FakeHubServer.StartAsync(new() { [Repo] = Fixture });
        server.CorruptLfs = true;
        using var cache = new ScratchFolder();

        var e = await Assert.ThrowsAsync<ModelLoadException>(() => ModelLocator.ResolveAsync(Repo, ModelFiles.For("onnx/model.onnx"), Options(server, cache.Path)));

        Assert.Contains($"but the hub says {OnnxSha256}", e.Message);
        string blobs = Path.Combine(cache.Path, RepoFolder, "blobs");
        Assert.Empty(Directory.GetFiles(blobs, OnnxSha256 + "*"));
        Assert.False(File.Exists(Path.Combine(cache.Path, RepoFolder, "snapshots", FakeHubServer.Commit, "onnx/model.onnx")));
    }

    [Fact]
    public async Task AStalledBodyFailsWithOneLineAfterTheStallTimeout()
    {
        await using var server = await FakeHubServer.StartAsync(new() { [Repo] = Fixture });
        server.StallAfter = 1000;
        using var cache = new ScratchFolder();
        // Only a safety net so a regression fails instead of hanging for HttpClient's default; the stall timeout is 1 s.
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var e = await Assert.ThrowsAsync<ModelLoadException>(() => ModelLocator.ResolveAsync(Repo, ModelFiles.For("onnx/model.onnx"),
            Options(server, cache.Path) with { StallTimeout = TimeSpan.FromSeconds(1) }, cancellationToken: safety.Token));

        Assert.Contains("onnx/model.onnx: no data from the server for 1 s; run again to resume", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        string partial = Path.Combine(cache.Path, RepoFolder, "blobs", OnnxSha256 + ".incomplete");
        Assert.Equal(1000, new FileInfo(partial).Length);
    }

    [Fact]
    public void StallTimeoutComesFromHfHubDownloadTimeoutAndDefaultsToSixtySeconds()
    {
        string? saved = Environment.GetEnvironmentVariable("HF_HUB_DOWNLOAD_TIMEOUT");
        try
        {
            Environment.SetEnvironmentVariable("HF_HUB_DOWNLOAD_TIMEOUT", null);
            Assert.Equal(TimeSpan.FromSeconds(60), new HubOptions().ResolveStallTimeout());
            Environment.SetEnvironmentVariable("HF_HUB_DOWNLOAD_TIMEOUT", "2.5");
            Assert.Equal(TimeSpan.FromSeconds(2.5), new HubOptions().ResolveStallTimeout());
            Assert.Equal(TimeSpan.FromSeconds(7), new HubOptions { StallTimeout = TimeSpan.FromSeconds(7) }.ResolveStallTimeout());
        }
        finally
        {
            Environment.SetEnvironmentVariable("HF_HUB_DOWNLOAD_TIMEOUT", saved);
        }
    }

    [Fact]
    public async Task TwoConcurrentDownloadsOfTheSameFileBothSucceedAndFetchItOnce()
    {
        await using var server = await FakeHubServer.StartAsync(new() { [Repo] = Fixture });
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.HoldFirstCdnBody = hold;
        using var cache = new ScratchFolder();

        var first = ModelLocator.ResolveAsync(Repo, ModelFiles.For("onnx/model.onnx"), Options(server, cache.Path));
        await Until(() => Count(server, "GET cdn/onnx/model.onnx") == 1);
        var second = ModelLocator.ResolveAsync(Repo, ModelFiles.For("onnx/model.onnx"), Options(server, cache.Path));
        await Until(() => OnnxHeads(server) == 2);
        // Give the second download time to reach the blob while the first is still writing it.
        await Task.Delay(500);
        hold.SetResult();
        string[] snapshots = await Task.WhenAll(first, second);

        Assert.Equal(snapshots[0], snapshots[1]);
        Assert.Equal(OnnxSha256, FakeHubServer.Hash(Path.Combine(snapshots[0], "onnx/model.onnx"), SHA256.Create()));
        Assert.Equal(1, Count(server, "GET cdn/onnx/model.onnx"));
    }

    [Fact]
    public async Task ADownloadWaitsForTheLockHeldByAnotherProcessAndUsesTheBlobItLeaves()
    {
        await using var server = await FakeHubServer.StartAsync(new() { [Repo] = Fixture });
        using var cache = new ScratchFolder();
        // huggingface_hub's lock file for this blob, so Python and RerankKit exclude each other too.
        string lockPath = Path.Combine(cache.Path, ".locks", RepoFolder, OnnxSha256 + ".lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        Task<string> download;
        using (new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            download = ModelLocator.ResolveAsync(Repo, ModelFiles.For("onnx/model.onnx"), Options(server, cache.Path));
            await Until(() => OnnxHeads(server) == 1);
            await Task.Delay(500);
            Assert.False(download.IsCompleted, "the download went ahead while another process held the blob's lock");
            File.Copy(Path.Combine(Fixture, "onnx/model.onnx"), Path.Combine(cache.Path, RepoFolder, "blobs", OnnxSha256));
        }
        string snapshot = await download;

        Assert.Equal(0, Count(server, "GET cdn/onnx/model.onnx"));
        Assert.Equal(OnnxSha256, FakeHubServer.Hash(Path.Combine(snapshot, "onnx/model.onnx"), SHA256.Create()));
        Assert.True(File.Exists(lockPath), "lock files stay, as deleting one lets a third process lock a new file while a second waits on the old");
    }

    [Fact]
    public async Task TwoProcessesFetchingTheSameModelBothSucceed()
    {
        await using var server = await FakeHubServer.StartAsync(new() { [Repo] = Fixture });
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.HoldFirstCdnBody = hold;
        // The weights, not the tokenizer.json that is fetched first to tell the reranker kind.
        server.HeldFile = "onnx/model.onnx";
        using var cache = new ScratchFolder();
        var environment = new Dictionary<string, string> { ["HF_HUB_OFFLINE"] = "0", ["HF_HUB_CACHE"] = cache.Path, ["HF_ENDPOINT"] = server.Endpoint };
        string[] args = ["rerank", "--model", Repo, "--query", "what is bert", "--doc", "bert is a transformer", "--json"];

        var runs = new[] { Task.Run(() => CliProcess.RunWithEnvironment(environment, args)), Task.Run(() => CliProcess.RunWithEnvironment(environment, args)) };
        await Until(() => OnnxHeads(server) == 2 || runs.Any(r => r.IsCompleted));
        await Task.Delay(500);
        hold.SetResult();
        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stderr));
        Assert.Equal(results[0].Stdout, results[1].Stdout);
        Assert.Equal(OnnxSha256, FakeHubServer.Hash(Path.Combine(cache.Path, RepoFolder, "blobs", OnnxSha256), SHA256.Create()));
        Assert.Equal(1, Count(server, "GET cdn/onnx/model.onnx"));
    }

    private static int Count(FakeHubServer server, string prefix) => server.Log.Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    private static int OnnxHeads(FakeHubServer server) =>
        server.Log.Count(l => l.StartsWith("HEAD resolve/", StringComparison.Ordinal) && l.Contains("/onnx/model.onnx ", StringComparison.Ordinal));

    private static async Task Until(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
            await Task.Delay(20, limit.Token);
    }
}
