namespace RerankKit.IO;

/// <summary>Joins a relative path taken from untrusted input (a hub's answer, a downloaded modules.json) to a folder,
/// refusing any path that could lead out of it.</summary>
internal static class ContainedPath
{
    /// <summary>The joined path, or null when <paramref name="relative"/> is rooted, has a <c>..</c> segment or a
    /// backslash, or passes through a directory below <paramref name="root"/> that is a symbolic link (which could
    /// point anywhere). The last segment may itself be a link: the hub cache links snapshot files to its blobs.</summary>
    public static string? Combine(string root, string relative)
    {
        if (Path.IsPathRooted(relative) || relative.Contains('\\', StringComparison.Ordinal))
            return null;
        string[] segments = relative.Split('/');
        if (segments.Any(s => s == ".."))
            return null;
        string current = root;
        foreach (string segment in segments[..^1])
        {
            current = Path.Combine(current, segment);
            if (Directory.Exists(current) && new DirectoryInfo(current).LinkTarget is not null)
                return null;
        }
        return Path.Combine(root, relative);
    }
}
