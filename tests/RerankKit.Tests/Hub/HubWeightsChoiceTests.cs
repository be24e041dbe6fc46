using RerankKit.Engine;
using RerankKit.Hub;
using RerankKit.Tests.Engine;
using RerankKit.Tests.Inference;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Hub;

/// <summary>An engine that reads several weights formats downloads only the first one the repository publishes.</summary>
public class HubWeightsChoiceTests
{
    private const string Repo = "rerankkit-test/tiny-bert-reranker";

    [Fact]
    public async Task Native_engine_downloads_the_onnx_export_of_a_repository_without_safetensors()
    {
        using var dir = new ScratchFolder();
        await using var server = await FakeHubServer.StartAsync(new() { [Repo] = OnnxWeightsTests.OnnxOnlyCopy("tiny-bert-reranker", dir) });
        using var cache = new ScratchFolder();
        NativeEngine.Register();
        var c = GoldenFile.Cases("tiny-bert-reranker")[0];
        using var model = await CrossEncoder.LoadAsync(Repo, new CrossEncoderOptions
        {
            Engine = NativeEngine.EngineName,
            Hub = new HubOptions { CacheDir = cache.Path, Endpoint = server.Endpoint, Offline = false },
        });
        Assert.Equal(c.Logit!.Value, model.Predict([(c.Query!, c.Document!)])[0], 1e-4);
        string snapshot = Path.Combine(cache.Path, "models--rerankkit-test--tiny-bert-reranker", "snapshots", FakeHubServer.Commit);
        Assert.True(File.Exists(Path.Combine(snapshot, "onnx", "model.onnx")));
        Assert.False(File.Exists(Path.Combine(snapshot, "model.safetensors")));
    }

    [Fact]
    public async Task Native_engine_prefers_safetensors_and_does_not_fetch_the_onnx_export()
    {
        await using var server = await FakeHubServer.StartAsync(new() { [Repo] = SharedData.Fixture("tiny-bert-reranker") });
        using var cache = new ScratchFolder();
        string snapshot = await ModelLocator.ResolveAsync(Repo, ModelFiles.For(NativeEngine.Instance.WeightsFiles(new RerankKit.Inference.BackendSettings())),
            new HubOptions { CacheDir = cache.Path, Endpoint = server.Endpoint, Offline = false });
        Assert.True(File.Exists(Path.Combine(snapshot, "model.safetensors")));
        Assert.False(File.Exists(Path.Combine(snapshot, "onnx", "model.onnx")));
    }
}
