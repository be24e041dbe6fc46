namespace RerankKit.Hub;

/// <summary>Lists the model repositories in a Hugging Face cache, reading folder names the way huggingface_hub's
/// <c>scan_cache_dir</c> does: <c>models--ORG--NAME</c> is <c>ORG/NAME</c>.</summary>
public static class HubCacheScan
{
    private const string Prefix = "models--";

    /// <summary>The models in <paramref name="options"/>' cache (by default the one <c>HF_HUB_CACHE</c> and friends
    /// name), by id; none when the cache folder does not exist.</summary>
    public static IReadOnlyList<CachedModel> Models(HubOptions? options = null)
    {
        string cacheDir = (options ?? new HubOptions()).ResolveCacheDir();
        if (!Directory.Exists(cacheDir))
            return [];
        var result = new List<CachedModel>();
        foreach (string root in Directory.EnumerateDirectories(cacheDir, Prefix + "*"))
        {
            string repoId = Path.GetFileName(root)[Prefix.Length..].Replace("--", "/", StringComparison.Ordinal);
            if (!HubRepoId.TryParse(repoId, out var repo))
                continue;
            var cache = new HubCacheRepo(cacheDir, repo);
            string snapshotsDir = Path.Combine(root, "snapshots");
            var snapshots = Directory.Exists(snapshotsDir)
                ? Directory.EnumerateDirectories(snapshotsDir).Select(Path.GetFileName).OfType<string>()
                    .Where(HubCacheRepo.IsCommit).Order(StringComparer.Ordinal).ToArray()
                : [];
            result.Add(new CachedModel(repoId, cache.CommitOf("main"), snapshots));
        }
        return result.OrderBy(m => m.RepoId, StringComparer.Ordinal).ToArray();
    }
}
