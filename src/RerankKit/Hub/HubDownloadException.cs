namespace RerankKit.Hub;

/// <summary>A file the hub could not deliver; <see cref="NotFound"/> tells a missing file from a failed request.</summary>
public sealed class HubDownloadException(string message, bool notFound, Exception? inner = null) : IOException(message, inner)
{
    public bool NotFound { get; } = notFound;
}
