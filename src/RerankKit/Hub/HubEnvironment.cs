namespace RerankKit.Hub;

/// <summary>The Hugging Face environment variables, read the way huggingface_hub reads them.</summary>
internal static class HubEnvironment
{
    public static string? Get(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    public static bool IsTrue(string? value) => value?.Trim().ToUpperInvariant() is "1" or "ON" or "YES" or "TRUE";

    /// <summary><c>HF_HUB_CACHE</c>, else <c>HF_HOME/hub</c>, else <c>~/.cache/huggingface/hub</c>
    /// (<c>XDG_CACHE_HOME</c> replacing <c>~/.cache</c> when set).</summary>
    public static string CacheDir()
    {
        if (Get("HF_HUB_CACHE") is { } cache)
            return Expand(cache);
        if (Get("HF_HOME") is { } home)
            return Path.Combine(Expand(home), "hub");
        string xdg = Get("XDG_CACHE_HOME") is { } x ? Expand(x)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(xdg, "huggingface", "hub");
    }

    private static string Expand(string path) => path.StartsWith('~')
        ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
        : path;
}
