using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RerankKit;
using RerankKit.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RerankKit's models with a service collection.</summary>
public static class RerankKitServiceCollectionExtensions
{
    /// <summary>Adds RerankKit's model registry and its health check (<c>rerankkit</c>); add models to the returned
    /// builder. Calling it again returns a builder over the same registry.</summary>
    public static RerankKitBuilder AddRerankKit(this IServiceCollection services, Action<RerankKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RerankKitOptions>();
        if (configure is not null)
            options.Configure(configure);
        var catalog = services.Where(d => d.ServiceType == typeof(ModelCatalog)).Select(d => d.ImplementationInstance).OfType<ModelCatalog>().FirstOrDefault();
        if (catalog is null)
        {
            catalog = new ModelCatalog();
            services.AddSingleton(catalog);
            services.TryAddSingleton(sp => new RerankKitModels(sp.GetRequiredService<ModelCatalog>(),
                sp.GetRequiredService<IOptionsMonitor<CrossEncoderOptions>>(), sp.GetRequiredService<IOptionsMonitor<BiEncoderOptions>>(),
                sp.GetService<ILoggerFactory>()));
            services.AddHostedService<ModelWarmupService>();
            services.AddHealthChecks().AddCheck<ModelHealthCheck>("rerankkit", HealthStatus.Unhealthy, ["rerankkit"]);
        }
        return new RerankKitBuilder(services, catalog);
    }
}
