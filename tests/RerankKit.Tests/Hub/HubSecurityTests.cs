using RerankKit.Hub;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Hub;

/// <summary>A hostile hub must not make a download write outside the cache or send the token to another origin.</summary>
public class HubSecurityTests
{
    private const string Repo = "rerankkit-test/tiny-bert-embedder";

    [Theory]
    [InlineData("../../../escaped")]
    [InlineData("0123456789abcdef0123456789abcdef0123456/")]
    [InlineData("main")]
    public async Task ACommitHeaderThatIsNotAFortyHexCommitIsRefused(string commit)
    {
        await using var server = await FakeHubServer.StartAsync(new() { [Repo] = SharedData.Fixture("tiny-bert-embedder") });
        server.RepoCommit = commit;
        using var scratch = new ScratchFolder();
        string cache = Path.Combine(scratch.Path, "hub");

        var e = await Assert.ThrowsAsync<ModelLoadException>(() => ModelLocator.ResolveAsync(Repo, ModelFiles.For("onnx/model.onnx"),
            new HubOptions { CacheDir = cache, Endpoint = server.Endpoint, Offline = false }));

        Assert.Contains($"X-Repo-Commit '{commit}' is not a 40-hex commit", e.Message);
        Assert.All(Directory.GetFileSystemEntries(scratch.Path), entry => Assert.Equal(cache, entry));
        Assert.False(Directory.Exists(Path.Combine(cache, "models--rerankkit-test--tiny-bert-embedder", "snapshots")));
    }

    [Theory]
    [InlineData("../../../../escaped")]
    [InlineData("1_Pooling/../../../../../escaped")]
    [InlineData("ABSOLUTE")]
    public async Task ModulePathsOutsideTheSnapshotAreRefusedWhileDownloading(string modulePath)
    {
        using var scratch = new ScratchFolder();
        string repoFolder = CopyOf(SharedData.Fixture("tiny-bert-embedder"), Path.Combine(scratch.Path, "repo"));
        if (modulePath == "ABSOLUTE")
            modulePath = Path.Combine(scratch.Path, "escaped");
        File.Delete(Path.Combine(repoFolder, "modules.json"));
        File.WriteAllText(Path.Combine(repoFolder, "modules.json"),
            $$"""[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},{"idx":1,"name":"1","path":"{{modulePath}}","type":"sentence_transformers.models.Pooling"}]""");
        await using var server = await FakeHubServer.StartAsync(new() { [Repo] = repoFolder });
        string cache = Path.Combine(scratch.Path, "hub");

        var e = await Assert.ThrowsAsync<ModelLoadException>(() => ModelLocator.ResolveAsync(Repo, ModelFiles.For("onnx/model.onnx"),
            new HubOptions { CacheDir = cache, Endpoint = server.Endpoint, Offline = false }));

        Assert.Contains("outside the model folder", e.Message);
        Assert.Equal([cache, repoFolder], Directory.GetFileSystemEntries(scratch.Path).Order());
        Assert.DoesNotContain(server.Log, line => line.Contains("escaped", StringComparison.Ordinal));
    }

    [Fact]
    public void ARevisionThatIsNotABranchTagOrCommitIsRefusedBeforeTheCacheIsRead()
    {
        using var cache = new ScratchFolder();
        var e = Assert.Throws<ModelLoadException>(() => ModelLocator.Resolve(Repo, ModelFiles.For("onnx/model.onnx"),
            new HubOptions { CacheDir = cache.Path, Offline = true, Revision = "../../../etc" }));
        Assert.Contains("revision '../../../etc' is not", e.Message);
    }

    [Theory]
    [InlineData("port-prefix")]
    [InlineData("userinfo")]
    [InlineData("other-host")]
    public async Task TheTokenGoesOnlyToTheEndpointsOrigin(string redirect)
    {
        string fixture = SharedData.Fixture("tiny-bert-embedder");
        var (hub, cdn) = redirect == "port-prefix"
            ? await StartOnPrefixPorts(fixture)
            : (await FakeHubServer.StartAsync(new() { [Repo] = fixture }), await FakeHubServer.StartAsync(new() { [Repo] = fixture }));
        await using var _ = hub;
        await using var __ = cdn;
        var cdnUri = new Uri(cdn.Endpoint);
        hub.CdnBase = redirect switch
        {
            // The endpoint string is a prefix of the CDN's address: http://127.0.0.1:4123 and http://127.0.0.1:41234.
            "port-prefix" => cdn.Endpoint,
            // http://127.0.0.1:HUB@localhost:CDN starts with the endpoint, but its host is the part after the '@'.
            "userinfo" => $"http://{new Uri(hub.Endpoint).Authority}@localhost:{cdnUri.Port}",
            _ => $"http://localhost:{cdnUri.Port}",
        };
        using var cache = new ScratchFolder();

        string snapshot = await ModelLocator.ResolveAsync(Repo, ModelFiles.For("onnx/model.onnx"),
            new HubOptions { CacheDir = cache.Path, Endpoint = hub.Endpoint, Offline = false, Token = "hf_secret" });

        Assert.Equal(File.ReadAllBytes(Path.Combine(fixture, "onnx/model.onnx")), File.ReadAllBytes(Path.Combine(snapshot, "onnx/model.onnx")));
        Assert.Contains("resolve/onnx/model.onnx Bearer hf_secret", hub.Authorizations);
        Assert.Contains(cdn.Log, line => line.StartsWith("GET cdn/onnx/model.onnx", StringComparison.Ordinal));
        Assert.Empty(cdn.Authorizations);
    }

    /// <summary>A CDN on a free port P and a hub on the port whose digits are P's without the last one.</summary>
    private static async Task<(FakeHubServer Hub, FakeHubServer Cdn)> StartOnPrefixPorts(string fixture)
    {
        for (int attempt = 0; ; attempt++)
        {
            var cdn = await FakeHubServer.StartAsync(new() { [Repo] = fixture });
            int port = new Uri(cdn.Endpoint).Port / 10;
            try
            {
                return (await FakeHubServer.StartAsync(new() { [Repo] = fixture }, port), cdn);
            }
            // Kestrel reports a port in use as an IOException ("Failed to bind to address"); try another pair.
            catch (IOException) when (attempt < 20)
            {
                await cdn.DisposeAsync();
            }
        }
    }

    private static string CopyOf(string source, string target)
    {
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }
}
