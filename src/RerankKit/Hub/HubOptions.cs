using System.Globalization;
using RerankKit.Models;

namespace RerankKit.Hub;

/// <summary>Where and how hub ids are resolved. Every null falls back to the Hugging Face environment variables
/// (<c>HF_HUB_CACHE</c>, <c>HF_HOME</c>, <c>HF_ENDPOINT</c>, <c>HF_HUB_OFFLINE</c>, <c>HF_TOKEN</c>,
/// <c>HF_HUB_DOWNLOAD_TIMEOUT</c>), so models a
/// user already fetched with Python are reused.</summary>
public sealed record HubOptions
{
    /// <summary>Branch, tag or 40-hex commit.</summary>
    public string Revision { get; init; } = "main";

    public string? CacheDir { get; init; }

    public string? Endpoint { get; init; }

    /// <summary>True forbids the network, as <c>HF_HUB_OFFLINE=1</c> does.</summary>
    public bool? Offline { get; init; }

    /// <summary>Bearer token for private or gated repositories.</summary>
    public string? Token { get; init; }

    /// <summary>Called as files download (from the downloading thread).</summary>
    public Action<DownloadProgress>? Progress { get; init; }

    /// <summary>How long a download may go without receiving a byte (or an answer) before it fails; null falls back
    /// to <c>HF_HUB_DOWNLOAD_TIMEOUT</c> (seconds), else 60 s.</summary>
    public TimeSpan? StallTimeout { get; init; }

    public static readonly string DefaultEndpoint = "https://huggingface.co";

    internal string ResolveCacheDir() => CacheDir ?? HubEnvironment.CacheDir();

    internal string ResolveEndpoint() => (Endpoint ?? HubEnvironment.Get("HF_ENDPOINT") ?? DefaultEndpoint).TrimEnd('/');

    internal bool ResolveOffline() => Offline ?? HubEnvironment.IsTrue(HubEnvironment.Get("HF_HUB_OFFLINE"));

    internal TimeSpan ResolveStallTimeout()
    {
        TimeSpan timeout = StallTimeout
            ?? (HubEnvironment.Get("HF_HUB_DOWNLOAD_TIMEOUT") is { } seconds
                ? TimeSpan.FromSeconds(double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0
                    ? s
                    : throw new ModelLoadException($"HF_HUB_DOWNLOAD_TIMEOUT must be a positive number of seconds, not '{seconds}'"))
                : TimeSpan.FromSeconds(60));
        return timeout > TimeSpan.Zero ? timeout : throw new ArgumentOutOfRangeException(nameof(StallTimeout), timeout, "the stall timeout must be positive");
    }

    internal string? ResolveToken() => Token ?? HubEnvironment.Get("HF_TOKEN");
}
