using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using RerankKit.DependencyInjection;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.DependencyInjection;

/// <summary><c>AddRerankKit()</c>: keyed singletons, lazy loading or warm-up, configuration binding, health.</summary>
public class RerankKitServiceCollectionTests
{
    private static readonly (string, string)[] Pairs = [("How many people live in Berlin?", "Berlin has 3.5 million inhabitants."), ("q", "d")];

    [Fact]
    public async Task Keyed_models_score_as_the_library_does_and_load_lazily()
    {
        string reranker = SharedData.Fixture("tiny-bert-reranker");
        string embedder = SharedData.Fixture("tiny-bert-embedder");
        var services = new ServiceCollection().AddLogging();
        services.AddRerankKit().AddCrossEncoder("ms", reranker, o => o.Threads = 1).AddBiEncoder("emb", embedder);
        await using var provider = services.BuildServiceProvider();

        var health = provider.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync()).Status);

        var fromDi = provider.GetRequiredKeyedService<ICrossEncoder>("ms");
        using var direct = new CrossEncoder(reranker);
        Assert.Equal(direct.Predict(Pairs), fromDi.Predict(Pairs));
        Assert.Same(fromDi, provider.GetRequiredKeyedService<ICrossEncoder>("ms"));

        var generator = provider.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("emb");
        using var directEmbedder = new BiEncoder(embedder);
        var generated = await generator.GenerateAsync(["Berlin"]);
        Assert.Equal(directEmbedder.Encode(["Berlin"])[0], generated[0].Vector.ToArray());
        Assert.Same(provider.GetRequiredKeyedService<IBiEncoder>("emb"), generator);

        var report = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("loaded", report.Entries["rerankkit"].Data["ms"]);
    }

    [Fact]
    public async Task Options_bind_from_a_configuration_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RerankKit:Reranker:Model"] = SharedData.Fixture("tiny-bert-reranker"),
            ["RerankKit:Reranker:MaxLength"] = "16",
            ["RerankKit:Reranker:Threads"] = "1",
            ["RerankKit:Reranker:Engine"] = "onnx",
        }).Build();
        var services = new ServiceCollection();
        services.AddRerankKit().AddCrossEncoder("reranker", configuration.GetSection("RerankKit:Reranker"));
        await using var provider = services.BuildServiceProvider();

        var model = Assert.IsType<CrossEncoder>(provider.GetRequiredKeyedService<ICrossEncoder>("reranker"));
        Assert.Equal(16, model.MaxLength);
    }

    [Fact]
    public async Task Warm_up_loads_every_model_when_the_host_starts()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddRerankKit(o => o.WarmUp = true).AddCrossEncoder("ms", SharedData.Fixture("tiny-bert-reranker"));
        using var host = builder.Build();
        var models = host.Services.GetRequiredService<RerankKitModels>();
        Assert.False(models.IsLoaded("ms"));
        await host.StartAsync();
        Assert.True(models.IsLoaded("ms"));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_model_that_cannot_load_makes_the_health_check_unhealthy()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddRerankKit().AddCrossEncoder("broken", "/no/such/model");
        await using var provider = services.BuildServiceProvider();

        Assert.Throws<RerankKit.Models.ModelLoadException>(() => provider.GetRequiredKeyedService<ICrossEncoder>("broken"));
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("model folder not found", (string)report.Entries["rerankkit"].Data["broken"]);
    }

    [Fact]
    public void Two_models_may_not_share_a_name()
    {
        var builder = new ServiceCollection().AddRerankKit().AddCrossEncoder("x", "a/b");
        Assert.Throws<ArgumentException>(() => builder.AddBiEncoder("x", "c/d"));
    }
}
