using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RerankKit.Models;

namespace RerankKit.DependencyInjection;

/// <summary>Adds models to the services: each becomes a keyed singleton (<see cref="ICrossEncoder"/>, or
/// <see cref="IBiEncoder"/> and <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>) under its name.</summary>
public sealed class RerankKitBuilder
{
    private readonly ModelCatalog _catalog;

    internal RerankKitBuilder(IServiceCollection services, ModelCatalog catalog)
    {
        Services = services;
        _catalog = catalog;
    }

    public IServiceCollection Services { get; }

    /// <summary>Registers a cross-encoder from a folder or a hub id under <paramref name="name"/>
    /// (<c>GetRequiredKeyedService&lt;ICrossEncoder&gt;(name)</c>).</summary>
    public RerankKitBuilder AddCrossEncoder(string name, string modelNameOrPath, Action<CrossEncoderOptions>? configure = null)
    {
        Add(name, ModelKind.CrossEncoder, modelNameOrPath);
        var options = Services.AddOptions<CrossEncoderOptions>(name);
        if (configure is not null)
            options.Configure(configure);
        Services.AddKeyedSingleton<ICrossEncoder>(name, (sp, _) => sp.GetRequiredService<RerankKitModels>().GetCrossEncoder(name));
        return this;
    }

    /// <summary>Registers a cross-encoder the application created (or wrapped, such as a
    /// <see cref="Caching.CachingCrossEncoder"/>); the application keeps ownership and disposes it.</summary>
    public RerankKitBuilder AddCrossEncoder(string name, ICrossEncoder instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        Add(name, ModelKind.CrossEncoder, instance.ModelName, instance);
        Services.AddKeyedSingleton(name, instance);
        return this;
    }

    /// <summary>Registers a bi-encoder the application created; the application keeps ownership and disposes it.</summary>
    public RerankKitBuilder AddBiEncoder(string name, IBiEncoder instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        Add(name, ModelKind.BiEncoder, instance.ModelName, instance);
        Services.AddKeyedSingleton(name, instance);
        if (instance is IEmbeddingGenerator<string, Embedding<float>> generator)
            Services.AddKeyedSingleton(name, generator);
        return this;
    }

    /// <summary>Registers a cross-encoder described by a configuration section: <c>Model</c> (folder or hub id) and
    /// any <see cref="CrossEncoderOptions"/> property (<c>MaxLength</c>, <c>Engine</c>, <c>Device</c>, <c>OnnxFile</c>,
    /// <c>Threads</c>, ...).</summary>
    public RerankKitBuilder AddCrossEncoder(string name, IConfiguration section)
    {
        AddCrossEncoder(name, ModelOf(name, section));
        Services.AddOptions<CrossEncoderOptions>(name).Bind(section);
        return this;
    }

    /// <summary>Registers a bi-encoder under <paramref name="name"/>, as <see cref="IBiEncoder"/> and as
    /// <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>.</summary>
    public RerankKitBuilder AddBiEncoder(string name, string modelNameOrPath, Action<BiEncoderOptions>? configure = null)
    {
        Add(name, ModelKind.BiEncoder, modelNameOrPath);
        var options = Services.AddOptions<BiEncoderOptions>(name);
        if (configure is not null)
            options.Configure(configure);
        Services.AddKeyedSingleton<IBiEncoder>(name, (sp, _) => sp.GetRequiredService<RerankKitModels>().GetBiEncoder(name));
        Services.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(name,
            (sp, _) => (IEmbeddingGenerator<string, Embedding<float>>)sp.GetRequiredKeyedService<IBiEncoder>(name));
        return this;
    }

    /// <summary>Registers a bi-encoder described by a configuration section (<c>Model</c> and
    /// <see cref="BiEncoderOptions"/> properties).</summary>
    public RerankKitBuilder AddBiEncoder(string name, IConfiguration section)
    {
        AddBiEncoder(name, ModelOf(name, section));
        Services.AddOptions<BiEncoderOptions>(name).Bind(section);
        return this;
    }

    private void Add(string name, ModelKind kind, string modelNameOrPath, IDisposable? instance = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelNameOrPath);
        _catalog.Add(new ModelRegistration(name, kind, modelNameOrPath), instance);
    }

    private static string ModelOf(string name, IConfiguration section) =>
        section["Model"] is { Length: > 0 } model
            ? model
            : throw new ArgumentException($"the configuration of RerankKit model '{name}' has no 'Model' (a folder or a hub id)");
}
