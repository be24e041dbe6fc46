using RerankKit.Hub;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Hub;

[CollectionDefinition(nameof(HubEnvironmentCollection), DisableParallelization = true)]
public class HubEnvironmentCollection;

/// <summary>Hub ids resolved from a fake Hugging Face cache as Python leaves it.</summary>
[Collection(nameof(HubEnvironmentCollection))]
public class HubCacheTests
{
    private const string Commit = "c5ee24cb16019beea0893ab7796b1df96625c6b8";

    private static ScratchFolder FakeCache(string repoFolder, params string[] files)
    {
        var cache = new ScratchFolder();
        cache.Write($"{repoFolder}/refs/main", Commit);
        foreach (string f in files)
            cache.Write($"{repoFolder}/snapshots/{Commit}/{f}", "{}");
        return cache;
    }

    [Fact]
    public void HubIdResolvesToTheSnapshotThatRefsMainNames()
    {
        using var cache = FakeCache("models--cross-encoder--ms-marco-MiniLM-L6-v2", "config.json", "onnx/model.onnx");
        string folder = ModelLocator.Resolve("cross-encoder/ms-marco-MiniLM-L6-v2", ModelFiles.For("onnx/model.onnx"),
            new HubOptions { CacheDir = cache.Path, Offline = true });
        Assert.Equal(Path.Combine(cache.Path, "models--cross-encoder--ms-marco-MiniLM-L6-v2", "snapshots", Commit), folder);
    }

    [Fact]
    public void ACommitRevisionNeedsNoRef()
    {
        using var cache = FakeCache("models--org--model", "config.json", "onnx/model.onnx");
        File.Delete(Path.Combine(cache.Path, "models--org--model", "refs", "main"));
        string folder = ModelLocator.Resolve("org/model", ModelFiles.For("onnx/model.onnx"), new HubOptions { CacheDir = cache.Path, Offline = true, Revision = Commit });
        Assert.EndsWith(Commit, folder);
    }

    [Fact]
    public void OfflineWithoutTheWeightsSaysWhatWasTried()
    {
        // Python caches model.safetensors, not the ONNX export.
        using var cache = FakeCache("models--org--model", "config.json", "model.safetensors");
        var e = Assert.Throws<ModelLoadException>(() => ModelLocator.Resolve("org/model", ModelFiles.For("onnx/model.onnx"), new HubOptions { CacheDir = cache.Path, Offline = true }));
        Assert.Contains("lacks onnx/model.onnx", e.Message);
        Assert.Contains("HF_HUB_OFFLINE", e.Message);
    }

    [Fact]
    public void OfflineAndNotCachedSaysWhereItLooked()
    {
        using var cache = new ScratchFolder();
        var e = Assert.Throws<ModelLoadException>(() => ModelLocator.Resolve("org/absent", ModelFiles.For("onnx/model.onnx"), new HubOptions { CacheDir = cache.Path, Offline = true }));
        Assert.Contains(Path.Combine(cache.Path, "models--org--absent"), e.Message);
        Assert.Contains("no local folder named org/absent", e.Message);
    }

    [Fact]
    public void SomethingThatIsNeitherAFolderNorAHubIdIsAMissingFolder()
    {
        var e = Assert.Throws<ModelLoadException>(() => ModelLocator.Resolve("./models/nothing-here", ModelFiles.For("onnx/model.onnx")));
        Assert.Equal("model folder not found: ./models/nothing-here", e.Message);
    }

    [Fact]
    public void CacheDirComesFromHfHubCacheThenHfHomeThenTheHomeFolder()
    {
        string? savedCache = Environment.GetEnvironmentVariable("HF_HUB_CACHE");
        string? savedHome = Environment.GetEnvironmentVariable("HF_HOME");
        string? savedXdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", null);
            Environment.SetEnvironmentVariable("HF_HUB_CACHE", "/tmp/a-hub-cache");
            Environment.SetEnvironmentVariable("HF_HOME", "/tmp/a-hf-home");
            Assert.Equal("/tmp/a-hub-cache", HubEnvironment.CacheDir());
            Environment.SetEnvironmentVariable("HF_HUB_CACHE", null);
            Assert.Equal("/tmp/a-hf-home/hub", HubEnvironment.CacheDir());
            Environment.SetEnvironmentVariable("HF_HOME", null);
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.Equal(Path.Combine(home, ".cache", "huggingface", "hub"), HubEnvironment.CacheDir());
        }
        finally
        {
            Environment.SetEnvironmentVariable("HF_HUB_CACHE", savedCache);
            Environment.SetEnvironmentVariable("HF_HOME", savedHome);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", savedXdg);
        }
    }

    [Fact]
    public void HfHubOfflineEnvironmentForbidsTheNetwork()
    {
        string? saved = Environment.GetEnvironmentVariable("HF_HUB_OFFLINE");
        try
        {
            Environment.SetEnvironmentVariable("HF_HUB_OFFLINE", "1");
            Assert.True(new HubOptions().ResolveOffline());
            Environment.SetEnvironmentVariable("HF_HUB_OFFLINE", "0");
            Assert.False(new HubOptions().ResolveOffline());
        }
        finally
        {
            Environment.SetEnvironmentVariable("HF_HUB_OFFLINE", saved);
        }
    }
}
