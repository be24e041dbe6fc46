using RerankKit.IO;
using System.Text.RegularExpressions;

namespace RerankKit.Hub;

/// <summary>One repository's folder in the Hugging Face cache: <c>models--ORG--NAME/</c> with <c>refs/REV</c>
/// holding a commit, <c>snapshots/COMMIT/</c> of links into <c>blobs/</c>, and <c>.no_exist/COMMIT/</c> marking
/// files the hub does not have.</summary>
internal sealed partial class HubCacheRepo(string cacheDir, HubRepoId repo)
{
    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitHash();

    public string Root { get; } = Path.Combine(cacheDir, repo.CacheFolderName);

    public string BlobsDir => Path.Combine(Root, "blobs");

    public static bool IsCommit(string revision) => CommitHash().IsMatch(revision);

    /// <summary>The commit a revision points at in the cache, or null when it was never fetched.</summary>
    public string? CommitOf(string revision)
    {
        if (IsCommit(revision))
            return revision;
        string refFile = Path.Combine(Root, "refs", revision);
        return File.Exists(refFile) ? File.ReadAllText(refFile).Trim() : null;
    }

    public string SnapshotDir(string commit) => Path.Combine(Root, "snapshots", commit);

    public bool IsKnownMissing(string commit, string file) => File.Exists(Path.Combine(Root, ".no_exist", commit, file));

    public void MarkMissing(string commit, string file)
    {
        string path = Path.Combine(Root, ".no_exist", commit, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
    }

    public void WriteRef(string revision, string commit)
    {
        if (IsCommit(revision))
            return;
        string path = Path.Combine(Root, "refs", revision);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, commit);
    }

    /// <summary>Puts <paramref name="file"/> into the snapshot as a relative link to its blob, as huggingface_hub
    /// does, or as a copy where links cannot be made.</summary>
    public void LinkIntoSnapshot(string commit, string file, string blobPath)
    {
        string target = Path.Combine(SnapshotDir(commit), file);
        string dir = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(dir);
        string temp = AtomicFile.TempBeside(target);
        try
        {
            File.CreateSymbolicLink(temp, Path.GetRelativePath(dir, blobPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            File.Copy(blobPath, temp, overwrite: true);
        }
        File.Move(temp, target, overwrite: true);
    }
}
