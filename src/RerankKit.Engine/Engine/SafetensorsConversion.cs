using RerankKit.IO;
using RerankKit.Models;

namespace RerankKit.Engine;

/// <summary>What <see cref="SafetensorsConversion.Convert"/> wrote.</summary>
public sealed record SafetensorsConversionResult(string Folder, string Source, int Tensors, long Parameters);

/// <summary>Turns a model folder whose weights the native engine reads (an ONNX-only export, or safetensors in F16 or
/// BF16) into a folder with an F32 <c>model.safetensors</c> under Hugging Face names, the format training checkpoints
/// and other tools take. Every other file (config, tokenizer, modules, the ONNX export) is copied alongside.</summary>
public static class SafetensorsConversion
{
    public static SafetensorsConversionResult Convert(string modelFolder, string outputFolder)
    {
        if (!Directory.Exists(modelFolder))
            throw new ModelLoadException($"model folder not found: {modelFolder}");
        string source = Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelFolder));
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputFolder));
        if (string.Equals(source, target, StringComparison.Ordinal))
            throw new ArgumentException($"the output folder {outputFolder} is the model folder; choose a new folder");
        if (File.Exists(target))
            throw new ArgumentException($"the output {outputFolder} is a file, not a folder");
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new ArgumentException($"the output folder {outputFolder} already exists and is not empty; choose a new folder");

        var model = TransformerModel.Load(source);
        string weights = NativeWeights.Require(source);
        // Listed before the staging folder exists, so an output inside the model folder is not copied into itself.
        var files = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(source, f))
            .Where(f => f != NativeWeights.Safetensors && !IsInside(Path.Combine(source, f), target))
            .ToList();
        AtomicFolder.Write(target, staging =>
        {
            foreach (string relative in files)
            {
                string destination = Path.Combine(staging, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(Path.Combine(source, relative), destination);
            }
            model.SaveSafetensors(Path.Combine(staging, NativeWeights.Safetensors));
        });
        return new SafetensorsConversionResult(target, weights, model.Parameters.Count, model.Parameters.TotalElements);
    }

    private static bool IsInside(string path, string folder) =>
        path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
