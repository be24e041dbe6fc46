namespace RerankKit.Hub;

/// <summary>How far the download of one file has come; <see cref="TotalBytes"/> is null when the server did not say.</summary>
public sealed record DownloadProgress(string File, long DownloadedBytes, long? TotalBytes)
{
    public bool IsComplete => TotalBytes is { } total && DownloadedBytes >= total;
}
