using RerankKit.Inference;
using RerankKit.Models;

namespace RerankKit.Engine;

/// <summary>The native engine as a RerankKit backend named <c>native</c>: runs <c>model.safetensors</c> (or, for a
/// model published only as ONNX, the weights of <c>onnx/model.onnx</c>) with
/// RerankKit's own C# transformer instead of ONNX Runtime, on the CPU.</summary>
public sealed class NativeEngine : IEncoderBackendFactory
{
    public const string EngineName = "native";

    public static NativeEngine Instance { get; } = new();

    private NativeEngine()
    {
    }

    /// <summary>Makes <c>Engine = "native"</c> available to every <see cref="CrossEncoder"/> and <see cref="BiEncoder"/>.</summary>
    public static void Register() => EncoderBackends.Register(Instance);

    public string Name => EngineName;

    public IReadOnlyList<string> WeightsFiles(BackendSettings settings) => NativeWeights.InPreferenceOrder;

    public IEncoderBackend Create(ModelFolder folder, BackendSettings settings)
    {
        if (Devices.CudaOrdinal(settings.Device) is not null)
            throw new ModelLoadException($"device {settings.Device}: the native engine runs on the CPU only (use the onnx engine for CUDA)");
        NativeFamilies.Require(folder.Config);
        var backend = new NativeEncoderBackend(folder.Path);
        if (settings.Threads is { } threads)
            backend.Model.Threads = threads;
        return backend;
    }
}
