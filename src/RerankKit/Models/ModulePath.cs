using RerankKit.IO;

namespace RerankKit.Models;

/// <summary>The one rule for the <c>path</c> of a sentence-transformers module in modules.json, applied both when a
/// folder is read and when the module's files are downloaded: a relative path that stays inside the model folder.</summary>
internal static class ModulePath
{
    /// <summary>The module's <c>config.json</c> relative to <paramref name="folder"/>, with <c>/</c> separators.</summary>
    public static string ConfigFile(string folder, string modulesJson, string modulePath)
    {
        string relative = modulePath.TrimEnd('/') is { Length: > 0 } p ? p + "/config.json" : "config.json";
        return ContainedPath.Combine(folder, relative) is not null
            ? relative
            : throw new ModelLoadException($"{modulesJson} names module path '{modulePath}', which is outside the model folder");
    }
}
