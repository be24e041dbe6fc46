using System.Security.Cryptography;
using System.Text;
using RerankKit.Hub;
using RerankKit.Models;
using RerankKit.Models.Bundled;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Bundled;

/// <summary>The bundled real models resolve by hub id offline, from an empty cache, into an ordinary cache snapshot.</summary>
public class BundledModelTests
{
    /// <summary>sentence-transformers' own output for all-MiniLM-L6-v2 on this sentence (model card example).</summary>
    internal static readonly float[] MiniLMExampleStart = [0.0676569f, 0.0634959f, 0.0487131f, 0.0793050f];

    internal const string ExampleSentence = "This is an example sentence";

    static BundledModelTests() => BundledModelCatalog.Register();

    private static BiEncoderOptions Offline(string cacheDir) => new() { Threads = 1, Hub = new HubOptions { CacheDir = cacheDir, Offline = true } };

    [Fact]
    public void MiniLMLoadsOfflineFromAnEmptyCacheAndGivesItsPublishedEmbedding()
    {
        using var cache = new ScratchFolder();
        using var model = new BiEncoder(BundledModelCatalog.MiniLM, Offline(cache.Path));
        float[] embedding = model.Encode([ExampleSentence])[0];

        Assert.Equal(384, embedding.Length);
        for (int i = 0; i < MiniLMExampleStart.Length; i++)
            Assert.Equal(MiniLMExampleStart[i], embedding[i], 1e-5f);
    }

    [Fact]
    public void ArcticEmbedXsLoadsOfflineFromAnEmptyCacheWithItsCardSettings()
    {
        using var cache = new ScratchFolder();
        using var model = new BiEncoder(BundledModelCatalog.ArcticEmbedXs, Offline(cache.Path));
        float[] embedding = model.Encode([ExampleSentence])[0];

        Assert.Equal(512, model.MaxLength);
        Assert.Equal(384, embedding.Length);
        Assert.Equal(1.0, Math.Sqrt(embedding.Sum(x => (double)x * x)), 1e-5);
        var folder = ModelFolder.Open(ModelLocator.Resolve(BundledModelCatalog.ArcticEmbedXs, ModelFiles.For("onnx/model.onnx"),
            new HubOptions { CacheDir = cache.Path, Offline = true }));
        Assert.Equal(PoolingMode.Cls, folder.Pooling);
        Assert.True(folder.Normalize);
    }

    [Fact]
    public void TheBundleIsWrittenAsACacheSnapshotThatRefsMainNames()
    {
        using var cache = new ScratchFolder();
        var bundled = BundledModels.Find(BundledModelCatalog.MiniLM)!;
        string snapshot = ModelLocator.Resolve(BundledModelCatalog.MiniLM, ModelFiles.For("onnx/model.onnx"),
            new HubOptions { CacheDir = cache.Path, Offline = true });

        string repo = Path.Combine(cache.Path, "models--sentence-transformers--all-MiniLM-L6-v2");
        Assert.Equal(Path.Combine(repo, "snapshots", bundled.Commit), snapshot);
        Assert.Equal(bundled.Commit, File.ReadAllText(Path.Combine(repo, "refs", "main")));
        foreach (string file in new[] { "config.json", "onnx/model.onnx", "vocab.txt", "tokenizer.json", "tokenizer_config.json",
                     "special_tokens_map.json", "modules.json", "1_Pooling/config.json", "sentence_bert_config.json", "config_sentence_transformers.json" })
            Assert.True(File.Exists(Path.Combine(snapshot, file)), file);
        Assert.Empty(Directory.GetDirectories(Path.Combine(repo, "snapshots"), ".*"));
    }

    [Fact]
    public void AUsersOwnMainRefIsKeptWhenItsSnapshotLacksTheOnnxWeights()
    {
        const string pytorchOnly = "c9745ed1d9f207416be6d2e6f8de32d1f16199bf";
        using var cache = new ScratchFolder();
        cache.Write("models--sentence-transformers--all-MiniLM-L6-v2/refs/main", pytorchOnly);
        cache.Write($"models--sentence-transformers--all-MiniLM-L6-v2/snapshots/{pytorchOnly}/config.json", "{}");

        string snapshot = ModelLocator.Resolve(BundledModelCatalog.MiniLM, ModelFiles.For("onnx/model.onnx"),
            new HubOptions { CacheDir = cache.Path, Offline = true });

        Assert.EndsWith(BundledModels.Find(BundledModelCatalog.MiniLM)!.Commit, snapshot);
        Assert.Equal(pytorchOnly, File.ReadAllText(Path.Combine(cache.Path, "models--sentence-transformers--all-MiniLM-L6-v2", "refs", "main")));
    }

    [Fact]
    public async Task TheBundledCopyComesBeforeADownloadAndConcurrentFirstUsesWriteItOnce()
    {
        using var cache = new ScratchFolder();
        // Online, but nothing listens on the endpoint: resolving succeeds only if the bundle is used before any download.
        var online = new HubOptions { CacheDir = cache.Path, Offline = false, Endpoint = "http://127.0.0.1:9" };
        var resolves = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
            ModelLocator.ResolveAsync(BundledModelCatalog.ArcticEmbedXs, ModelFiles.For("onnx/model.onnx"), online)));
        string[] snapshots = await Task.WhenAll(resolves);

        Assert.Single(snapshots.Distinct());
        string snapshotsDir = Path.GetDirectoryName(snapshots[0])!;
        Assert.Equal([snapshots[0]], Directory.GetDirectories(snapshotsDir));
    }

    [Fact]
    public void TheBundledVocabIsTheHubsVocabWithUnixLineEnds()
    {
        using var folder = new ScratchFolder();
        BundledModels.Find(BundledModelCatalog.MiniLM)!.WriteTo(folder.Path);
        Assert.Equal(File.ReadAllBytes(Path.Combine(SharedData.Model("all-MiniLM-L6-v2"), "vocab.txt")),
            File.ReadAllBytes(Path.Combine(folder.Path, "vocab.txt")));
    }

    [Theory]
    [InlineData(BundledModelCatalog.MiniLM)]
    [InlineData(BundledModelCatalog.ArcticEmbedXs)]
    public void EachBundlesCommitIsTheDigestOfItsFiles(string repoId)
    {
        using var folder = new ScratchFolder();
        var bundled = BundledModels.Find(repoId)!;
        bundled.WriteTo(folder.Path);
        Assert.Equal(Digest(folder.Path), bundled.Commit);
    }

    /// <summary>The documented digest: SHA-1 over "PATH\0SHA256-HEX\n" per file, in ordinal path order.</summary>
    private static string Digest(string folder)
    {
        var lines = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (Path: Path.GetRelativePath(folder, f).Replace('\\', '/'), File: f))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .Select(f => $"{f.Path}\0{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f.File)))}\n");
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(lines))));
    }

    [Fact]
    public void ArcticEncodeQueryIsEncodeWithTheQueryPromptAndDiffersFromEncodeDocument()
    {
        const string prompt = "Represent this sentence for searching relevant passages: ";
        const string query = "what is the population of berlin";
        using var cache = new ScratchFolder();
        using var model = new BiEncoder(BundledModelCatalog.ArcticEmbedXs, Offline(cache.Path));

        float[] asQuery = model.EncodeQuery([query])[0];
        float[] prompted = model.Encode([prompt + query])[0];
        float[] asDocument = model.EncodeDocument([query])[0];

        Assert.Equal(prompted, asQuery);
        Assert.Equal(model.Encode([query])[0], asDocument);
        Assert.True(asQuery.Zip(asDocument, (a, b) => Math.Abs(a - b)).Max() > 1e-3f, "the query prompt changed nothing");
    }
}
