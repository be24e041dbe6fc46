namespace RerankKit.IO;

/// <summary>Replaces a whole folder so that readers see either the old folder or the complete new one, never a mix:
/// the content is built in a hidden sibling (<c>.name.new</c>), the old folder is renamed aside (<c>.name.old</c>),
/// the new one takes its name and the old one is deleted. <see cref="Recover"/> finishes or undoes a swap that a
/// crash interrupted, so callers run it before reading.</summary>
public static class AtomicFolder
{
    /// <summary>Test hook: when set to 1 the writer stops for good just before the swap, so a test can kill the
    /// process at the one moment a crash matters (new folder complete, old folder still in place).</summary>
    internal const string PauseBeforeSwapVariable = "RERANKKIT_TEST_PAUSE_BEFORE_SWAP";

    /// <summary>Builds the folder's new content with <paramref name="build"/> (given the empty staging folder) and
    /// swaps it in. A leftover staging folder from an interrupted build is discarded first.</summary>
    public static void Write(string folder, Action<string> build)
    {
        var (final, staging, backup) = Names(folder);
        Recover(final);
        DeleteIfPresent(staging);
        Directory.CreateDirectory(staging);
        try
        {
            build(staging);
        }
        catch
        {
            DeleteIfPresent(staging);
            throw;
        }
        if (Environment.GetEnvironmentVariable(PauseBeforeSwapVariable) == "1")
            Thread.Sleep(Timeout.Infinite);
        bool hadOld = Directory.Exists(final);
        if (hadOld)
            Directory.Move(final, backup);
        Directory.Move(staging, final);
        if (hadOld)
            DeleteIfPresent(backup);
    }

    /// <summary>Completes a swap a crash interrupted: with the folder gone, the renamed-aside old folder comes back
    /// (the new one may be incomplete, so it is never promoted); with the folder in place, a leftover old folder is
    /// deleted. A leftover staging folder is left to the next <see cref="Write"/>, which may be building it now.</summary>
    public static void Recover(string folder)
    {
        var (final, _, backup) = Names(folder);
        if (!Directory.Exists(backup))
            return;
        if (Directory.Exists(final))
        {
            DeleteIfPresent(backup);
            return;
        }
        try
        {
            Directory.Move(backup, final);
        }
        catch (IOException) when (Directory.Exists(final))
        {
            // Another process recovered or swapped first; its folder is complete.
        }
    }

    /// <summary>The staging folder <see cref="Write"/> builds in, for callers that report or clean it.</summary>
    public static string StagingFolder(string folder) => Names(folder).Staging;

    private static (string Final, string Staging, string Backup) Names(string folder)
    {
        string final = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        string parent = Path.GetDirectoryName(final) ?? throw new IOException($"{folder} is a root folder; choose a folder inside it");
        string name = Path.GetFileName(final);
        return (final, Path.Combine(parent, $".{name}.new"), Path.Combine(parent, $".{name}.old"));
    }

    private static void DeleteIfPresent(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone: a concurrent recovery deleted it.
        }
    }
}
