using RerankKit.Models;

namespace RerankKit.Inference;

/// <summary>Creates the backend that runs a model folder: the extension point through which packages add engines.
/// ONNX Runtime is built in (<see cref="OnnxBackendFactory"/>); RerankKit.Engine registers <c>native</c>.</summary>
public interface IEncoderBackendFactory
{
    /// <summary>The engine's name in options, configuration and the CLI's <c>--engine</c>, such as <c>onnx</c>.</summary>
    string Name { get; }

    /// <summary>The weights files this engine reads inside a model folder, in order of preference (a model needs one
    /// of them), so that a hub download fetches only the first the repository has.</summary>
    IReadOnlyList<string> WeightsFiles(BackendSettings settings);

    IEncoderBackend Create(ModelFolder folder, BackendSettings settings);
}
