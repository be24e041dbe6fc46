using RerankKit.Models.Bundled;

namespace RerankKit.DependencyInjection;

/// <summary>Adds the bundled models to a RerankKit service registration.</summary>
public static class RerankKitBundledBuilderExtensions
{
    /// <summary>Makes the hub ids of <see cref="BundledModelCatalog"/> resolve offline (see
    /// <see cref="BundledModelCatalog.Register"/>).</summary>
    public static RerankKitBuilder AddBundledModels(this RerankKitBuilder builder)
    {
        BundledModelCatalog.Register();
        return builder;
    }
}
