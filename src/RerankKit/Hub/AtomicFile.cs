namespace RerankKit.Hub;

/// <summary>Writes through a temporary file in the same folder and a rename, so readers never see half a file.</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        string temp = TempBeside(path);
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    public static string TempBeside(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
}
