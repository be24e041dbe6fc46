using RerankKit.Engine;

namespace RerankKit.DependencyInjection;

/// <summary>Adds the native engine to a RerankKit service registration.</summary>
public static class RerankKitEngineBuilderExtensions
{
    /// <summary>Makes <c>Engine = "native"</c> available to the registered models (see <see cref="NativeEngine"/>).</summary>
    public static RerankKitBuilder AddNativeEngine(this RerankKitBuilder builder)
    {
        NativeEngine.Register();
        return builder;
    }
}
