using RerankKit.Models;

namespace RerankKit.Inference;

/// <summary>Creates the backend that runs a model folder on the chosen engine.</summary>
public static class BackendFactory
{
    public const string DefaultOnnxFile = "onnx/model.onnx";

    /// <param name="onnxFile">Path of the ONNX export inside the folder, such as
    /// <c>onnx/model_qint8_avx512_vnni.onnx</c>; null means <see cref="DefaultOnnxFile"/>.</param>
    public static IEncoderBackend Create(ModelFolder folder, EngineKind engine, string? onnxFile = null, int? threads = null) => engine switch
    {
        EngineKind.Onnx => CreateOnnx(folder, onnxFile, threads),
        EngineKind.Native => new RerankKit.Engine.NativeEncoderBackend(folder.Path),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "unknown engine"),
    };

    /// <summary>Parses <c>onnx</c> or <c>native</c>.</summary>
    public static EngineKind ParseEngine(string value) => value.Trim().ToLowerInvariant() switch
    {
        "onnx" => EngineKind.Onnx,
        "native" => EngineKind.Native,
        _ => throw new ArgumentException($"unknown engine '{value}' (use onnx or native)"),
    };

    private static OnnxEncoderBackend CreateOnnx(ModelFolder folder, string? onnxFile, int? threads)
    {
        string relative = onnxFile ?? DefaultOnnxFile;
        string path = folder.File(relative);
        if (!File.Exists(path))
        {
            string[] available = Directory.Exists(folder.File("onnx"))
                ? Directory.GetFiles(folder.File("onnx"), "*.onnx").Select(f => "onnx/" + Path.GetFileName(f)).ToArray()
                : [];
            string hint = available.Length > 0 ? $" (available: {string.Join(", ", available)})" : " (the folder has no ONNX export)";
            throw new ModelLoadException($"ONNX weights not found: {path}{hint}");
        }
        return new OnnxEncoderBackend(path, threads);
    }
}
