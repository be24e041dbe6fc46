using RerankKit.Models;

namespace RerankKit.Inference;

/// <summary>ONNX Runtime on the folder's ONNX export: the default engine, built into the core package.</summary>
public sealed class OnnxBackendFactory : IEncoderBackendFactory
{
    public const string DefaultOnnxFile = "onnx/model.onnx";

    public static OnnxBackendFactory Instance { get; } = new();

    private OnnxBackendFactory()
    {
    }

    public string Name => EncoderBackends.Onnx;

    public IReadOnlyList<string> WeightsFiles(BackendSettings settings) => [OnnxFile(settings)];

    private static string OnnxFile(BackendSettings settings) => settings.OnnxFile ?? DefaultOnnxFile;

    public IEncoderBackend Create(ModelFolder folder, BackendSettings settings)
    {
        string relative = OnnxFile(settings);
        string path = folder.File(relative);
        if (!File.Exists(path))
        {
            string[] available = Directory.Exists(folder.File("onnx"))
                ? Directory.GetFiles(folder.File("onnx"), "*.onnx").Select(f => "onnx/" + Path.GetFileName(f)).ToArray()
                : [];
            string hint = available.Length > 0 ? $" (available: {string.Join(", ", available)})" : " (the folder has no ONNX export)";
            throw new ModelLoadException($"ONNX weights not found: {path}{hint}");
        }
        return new OnnxEncoderBackend(path, settings, folder.Kind, folder.ScoreRule);
    }
}
