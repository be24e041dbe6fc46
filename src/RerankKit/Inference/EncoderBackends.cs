using System.Collections.Concurrent;

namespace RerankKit.Inference;

/// <summary>The engines a model can run on, by name. <c>onnx</c> is always there; a package adds its engine with
/// <see cref="Register"/> (RerankKit.Engine: <c>NativeEngine.Register()</c> or <c>AddNativeEngine()</c>).</summary>
public static class EncoderBackends
{
    public const string Onnx = "onnx";

    private static readonly ConcurrentDictionary<string, IEncoderBackendFactory> Factories =
        new(StringComparer.OrdinalIgnoreCase) { [Onnx] = OnnxBackendFactory.Instance };

    /// <summary>Adds or replaces the engine called <see cref="IEncoderBackendFactory.Name"/>.</summary>
    public static void Register(IEncoderBackendFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Factories[factory.Name] = factory;
    }

    public static IReadOnlyCollection<string> Names => Factories.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <exception cref="ArgumentException">No engine of that name is registered; the message lists those that are.</exception>
    public static IEncoderBackendFactory Get(string name)
    {
        if (Factories.TryGetValue(name.Trim(), out var factory))
            return factory;
        string hint = name.Trim().Equals("native", StringComparison.OrdinalIgnoreCase)
            ? "; reference RerankKit.Engine and call NativeEngine.Register() or services.AddRerankKit().AddNativeEngine()"
            : "";
        throw new ArgumentException($"unknown engine '{name}' (registered: {string.Join(", ", Names)}){hint}");
    }
}
