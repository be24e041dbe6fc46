using RerankKit.IO;
using System.Text.RegularExpressions;

namespace RerankKit.Hub;

/// <summary>One repository's folder in the Hugging Face cache: <c>models--ORG--NAME/</c> with <c>refs/REV</c>
/// holding a commit, <c>snapshots/COMMIT/</c> of links into <c>blobs/</c>, and <c>.no_exist/COMMIT/</c> marking
/// files the hub does not have; plus <c>.locks/models--ORG--NAME/ETAG.lock</c> beside it, where huggingface_hub
/// takes its per-blob lock. Commits, revisions and file names are checked before they become paths, since they come
/// from the hub's answers and from downloaded files.</summary>
internal sealed partial class HubCacheRepo(string cacheDir, HubRepoId repo)
{
    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitHash();

    // Branch and tag names as the hub allows them (refs/pr/1 included); no segment may start with '.', so none is "..".
    [GeneratedRegex(@"^[\w\-][\w.\-]*(?:/[\w\-][\w.\-]*)*$")]
    private static partial Regex RevisionName();

    public string Root { get; } = Path.Combine(cacheDir, repo.CacheFolderName);

    public string BlobsDir => Path.Combine(Root, "blobs");

    public static bool IsCommit(string revision) => CommitHash().IsMatch(revision);

    public static bool IsRevision(string revision) => IsCommit(revision) || RevisionName().IsMatch(revision);

    /// <summary>The commit a revision points at in the cache, or null when it was never fetched (or its ref file does
    /// not hold a commit).</summary>
    public string? CommitOf(string revision)
    {
        if (IsCommit(revision))
            return revision;
        string refFile = Path.Combine(Root, "refs", revision);
        return File.Exists(refFile) && File.ReadAllText(refFile).Trim() is { } commit && IsCommit(commit) ? commit : null;
    }

    public string SnapshotDir(string commit) => Path.Combine(Root, "snapshots", Checked(commit));

    /// <summary>Where huggingface_hub locks the download of one blob; Python and RerankKit processes exclude each other.</summary>
    public string LockFile(string etag) => Path.Combine(cacheDir, ".locks", repo.CacheFolderName, etag + ".lock");

    public bool IsKnownMissing(string commit, string file) => File.Exists(Contained(Path.Combine(Root, ".no_exist", Checked(commit)), file));

    public void MarkMissing(string commit, string file)
    {
        string path = Contained(Path.Combine(Root, ".no_exist", Checked(commit)), file);
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
        string target = Contained(SnapshotDir(commit), file);
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

    private static string Checked(string commit) =>
        IsCommit(commit) ? commit : throw new ArgumentException($"'{commit}' is not a 40-hex commit", nameof(commit));

    private static string Contained(string folder, string file) =>
        ContainedPath.Combine(folder, file) ?? throw new HubDownloadException($"file name '{file}' leads outside the snapshot folder", false);
}
