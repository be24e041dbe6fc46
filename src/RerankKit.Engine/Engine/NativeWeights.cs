namespace RerankKit.Engine;

/// <summary>The files in a Hugging Face folder that the native engine takes its weights from, in order of
/// preference: <c>model.safetensors</c>, else the ONNX export of a model published only as ONNX.</summary>
public static class NativeWeights
{
    public const string Safetensors = "model.safetensors";
    public const string Onnx = "onnx/model.onnx";

    public static IReadOnlyList<string> InPreferenceOrder { get; } = [Safetensors, Onnx];

    /// <summary>The full path of the first weights file the folder has, or null.</summary>
    public static string? Find(string folder) =>
        InPreferenceOrder.Select(f => Path.Combine(folder, f)).FirstOrDefault(File.Exists);

    /// <summary>The first weights file the folder has, or a load error naming both.</summary>
    public static string Require(string folder) =>
        Find(folder) ?? throw new Models.ModelLoadException($"{folder} has no {Safetensors} or {Onnx} (the native engine reads safetensors weights or an ONNX export)");
}
