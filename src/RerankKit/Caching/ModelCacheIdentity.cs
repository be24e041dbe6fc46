using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RerankKit.Models;

namespace RerankKit.Caching;

/// <summary>Builds <see cref="ICrossEncoder.CacheIdentity"/> for a loaded model: its name, revision, weights file,
/// engine and max length, everything that changes its scores.</summary>
internal static class ModelCacheIdentity
{
    private const string DefaultOnnxFile = "onnx/model.onnx";

    public static string Of(string modelName, ModelFolder folder, EncoderOptions options, string? scoring = null) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{modelName}|revision={Revision(folder.Path)}|file={(options.OnnxFile ?? DefaultOnnxFile).Replace('\\', '/')}|engine={options.Engine}|max_length={folder.MaxLength}{scoring}");

    /// <summary>A hub snapshot is named by its commit. A plain folder has none, so it is named by a hash of its config
    /// and of the size and time of its files: a model trained again into the same folder gets a new revision, while
    /// identical copies (one image on every replica) keep sharing scores.</summary>
    private static string Revision(string path)
    {
        string folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string name = Path.GetFileName(folder);
        if (Path.GetFileName(Path.GetDirectoryName(folder)) == "snapshots" && name.Length == 40 && name.All(char.IsAsciiHexDigitLower))
            return name;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(Path.Combine(folder, "config.json")));
        var files = new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories)
            .Select(f => (Name: Path.GetRelativePath(folder, f.FullName).Replace('\\', '/'), f.Length, Time: f.LastWriteTimeUtc.Ticks))
            .OrderBy(f => f.Name, StringComparer.Ordinal);
        foreach (var (file, length, time) in files)
            hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{file}|{length}|{time}\n")));
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
