namespace RerankKit.IO;

/// <summary>An exclusive lock that other processes see: a lock file opened with <see cref="FileShare.None"/>, which
/// .NET takes as <c>flock(LOCK_EX)</c> on Unix (the lock Python's filelock, and so huggingface_hub, takes) and as a
/// share-mode lock on Windows. Waiting is a retry loop because neither gives .NET a blocking wait.</summary>
internal sealed class CrossProcessLock : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);
    private readonly FileStream _file;

    private CrossProcessLock(FileStream file) => _file = file;

    public static async Task<CrossProcessLock> AcquireAsync(string path, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                return new CrossProcessLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            // A lock held elsewhere is a plain IOException; its subclasses (a missing folder, a path too long) are not
            // worth waiting for.
            catch (IOException e) when (e.GetType() == typeof(IOException))
            {
                await Task.Delay(RetryDelay, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Releases the lock and leaves the file: deleting it would let a third process lock a new file of the same
    /// name while a second still waits on the old one.</summary>
    public void Dispose() => _file.Dispose();
}
