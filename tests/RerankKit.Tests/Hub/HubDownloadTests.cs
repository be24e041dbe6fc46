using System.Security.Cryptography;
using RerankKit.Hub;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Hub;

/// <summary>Downloads from a loopback server that behaves like the hub into a scratch Hugging Face cache.</summary>
public class HubDownloadTests
{
    private const string Repo = "rerankkit-test/tiny-bert-embedder";

    [Fact]
    public async Task DownloadsNeededFilesIntoTheHubCacheLayout()
    {
        await using var server = await FakeHubServer.StartAsync(new() { [Repo] = SharedData.Fixture("tiny-bert-embedder") });
        using var cache = new ScratchFolder();
        var progress = new List<DownloadProgress>();
        var options = new HubOptions { CacheDir = cache.Path, Endpoint = server.Endpoint, Offline = false, Progress = p => { lock (progress) progress.Add(p); } };

        string snapshot = await ModelLocator.ResolveAsync(Repo, ModelFiles.For("onnx/model.onnx"), options);

        string repoDir = Path.Combine(cache.Path, "models--rerankkit-test--tiny-bert-embedder");
        Assert.Equal(Path.Combine(repoDir, "snapshots", FakeHubServer.Commit), snapshot);
        Assert.Equal(FakeHubServer.Commit, File.ReadAllText(Path.Combine(repoDir, "refs", "main")));
        string fixture = SharedData.Fixture("tiny-bert-embedder");
        foreach (string file in new[] { "config.json", "onnx/model.onnx", "vocab.txt", "tokenizer.json", "modules.json", "1_Pooling/config.json", "sentence_bert_config.json" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(fixture, file)), File.ReadAllBytes(Path.Combine(snapshot, file)));
        Assert.False(File.Exists(Path.Combine(snapshot, "model.safetensors")), "only the needed files are fetched");
        Assert.NotNull(new FileInfo(Path.Combine(snapshot, "onnx/model.onnx")).LinkTarget);
        string sha256 = FakeHubServer.Hash(Path.Combine(fixture, "onnx/model.onnx"), SHA256.Create());
        Assert.True(File.Exists(Path.Combine(repoDir, "blobs", sha256)), "LFS files are stored under their sha256");
        Assert.True(File.Exists(Path.Combine(repoDir, ".no_exist", FakeHubServer.Commit, "sentencepiece.bpe.model")), "absent optional files are remembered");
        Assert.Contains(progress, p => p.File == "onnx/model.onnx" && p.IsComplete);
        Assert.Empty(Directory.GetFiles(Path.Combine(repoDir, "blobs"), "*.incomplete"));

        var folder = ModelFolder.Open(snapshot);
        Assert.Equal(ModelKind.BiEncoder, folder.Kind);
        Assert.True(folder.Normalize);
    }

    [Fact]
    public async Task ResumesAPartialBlobWithARangeRequest()
    {
        await using var server = await FakeHubServer.StartAsync(new() { [Repo] = SharedData.Fixture("tiny-bert-embedder") });
        using var cache = new ScratchFolder();
        string onnx = Path.Combine(SharedData.Fixture("tiny-bert-embedder"), "onnx/model.onnx");
        byte[] bytes = File.ReadAllBytes(onnx);
        string blobs = Path.Combine(cache.Path, "models--rerankkit-test--tiny-bert-embedder", "blobs");
        Directory.CreateDirectory(blobs);
        string sha256 = FakeHubServer.Hash(onnx, SHA256.Create());
        int half = bytes.Length / 2;
        File.WriteAllBytes(Path.Combine(blobs, sha256 + ".incomplete"), bytes[..half]);

        string snapshot = await ModelLocator.ResolveAsync(Repo, ModelFiles.For("onnx/model.onnx"),
            new HubOptions { CacheDir = cache.Path, Endpoint = server.Endpoint, Offline = false });

        Assert.Contains(server.Log, line => line == $"GET cdn/onnx/model.onnx range=bytes={half}-");
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(snapshot, "onnx/model.onnx")));
        Assert.False(File.Exists(Path.Combine(blobs, sha256 + ".incomplete")));
    }

    [Fact]
    public async Task MissingRequiredFileFailsSayingWhatWasTried()
    {
        await using var server = await FakeHubServer.StartAsync(new() { [Repo] = SharedData.Fixture("tiny-bert-embedder") });
        using var cache = new ScratchFolder();
        var e = await Assert.ThrowsAsync<ModelLoadException>(() => ModelLocator.ResolveAsync(Repo, ModelFiles.For("onnx/model_qint8_avx512_vnni.onnx"),
            new HubOptions { CacheDir = cache.Path, Endpoint = server.Endpoint, Offline = false }));
        Assert.Contains("not in the Hugging Face cache", e.Message);
        Assert.Contains($"{server.Endpoint}/{Repo}/resolve/{FakeHubServer.Commit}/onnx/model_qint8_avx512_vnni.onnx", e.Message);
        Assert.Contains("404 Entry not found", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task UnreachableEndpointFailsSayingWhatWasTried()
    {
        using var cache = new ScratchFolder();
        // Port 9 (discard) on loopback has no listener here, so the connection is refused at once.
        var e = await Assert.ThrowsAsync<ModelLoadException>(() => ModelLocator.ResolveAsync(Repo, ModelFiles.For("onnx/model.onnx"),
            new HubOptions { CacheDir = cache.Path, Endpoint = "http://127.0.0.1:9", Offline = false }));
        Assert.Contains("download from http://127.0.0.1:9 failed", e.Message);
        Assert.Contains("resolve/main/config.json", e.Message);
    }

    [Fact]
    public async Task ASecondResolveUsesTheCacheWithoutTheNetwork()
    {
        using var cache = new ScratchFolder();
        string first;
        await using (var server = await FakeHubServer.StartAsync(new() { [Repo] = SharedData.Fixture("tiny-bert-embedder") }))
            first = await ModelLocator.ResolveAsync(Repo, ModelFiles.For("onnx/model.onnx"), new HubOptions { CacheDir = cache.Path, Endpoint = server.Endpoint, Offline = false });
        string second = await ModelLocator.ResolveAsync(Repo, ModelFiles.For("onnx/model.onnx"), new HubOptions { CacheDir = cache.Path, Offline = true });
        Assert.Equal(first, second);
    }
}
