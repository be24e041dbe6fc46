using System.CommandLine;
using System.CommandLine.Parsing;

namespace RerankKit.Cli;

/// <summary>Checks an output path option while parsing, so a command refuses an unusable <c>--out</c> before it starts
/// any work: the path must not be the other kind of thing (a file where a folder is written, or the reverse) and no
/// existing part of its parent chain may be a file.</summary>
internal static class OutputPathRule
{
    public static Option<T> OutputFolder<T>(this Option<T> option) where T : class? => With(option, folder: true);

    public static Option<T> OutputFile<T>(this Option<T> option) where T : class? => With(option, folder: false);

    private static Option<T> With<T>(Option<T> option, bool folder) where T : class?
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() is string path && Problem(path, folder) is { } problem)
                result.AddError($"{result.Option.Name} {path}: {problem}");
        });
        return option;
    }

    private static string? Problem(string path, bool folder)
    {
        if (path.Length == 0)
            return "the path is empty";
        string full = Path.GetFullPath(path);
        if (folder && File.Exists(full))
            return "is a file, not a folder";
        if (!folder && Directory.Exists(full))
            return "is a folder, not a file";
        for (string? parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent))
                return null;
            if (File.Exists(parent))
                return $"{parent} is a file, not a folder";
        }
        return null;
    }
}
