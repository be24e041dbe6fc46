using System.Text.Json;
using Microsoft.Extensions.Logging;
using RerankKit.IO;
using RerankKit.Models;

namespace RerankKit.Hub;

/// <summary>Turns a model argument into a local folder: an existing folder as is; a hub id from the Hugging Face
/// cache when its snapshot already has the required files, else from a registered bundled copy (see
/// <see cref="BundledModels"/>, written into the cache once), else downloaded into that cache.</summary>
public static class ModelLocator
{
    public static string Resolve(string modelNameOrPath, ModelFiles files, HubOptions? options = null, ILogger? logger = null,
        CancellationToken cancellationToken = default) =>
        ResolveAsync(modelNameOrPath, files, options, logger, cancellationToken).GetAwaiter().GetResult();

    public static async Task<string> ResolveAsync(string modelNameOrPath, ModelFiles files, HubOptions? options = null,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(modelNameOrPath))
            return Path.GetFullPath(modelNameOrPath);
        if (LooksLikePath(modelNameOrPath) || !HubRepoId.TryParse(modelNameOrPath, out var repo))
            throw new ModelLoadException($"model folder not found: {modelNameOrPath}");

        options ??= new HubOptions();
        if (!HubCacheRepo.IsRevision(options.Revision))
            throw new ModelLoadException($"revision '{options.Revision}' is not a 40-hex commit, a branch or a tag name");
        string cacheDir = options.ResolveCacheDir();
        var cache = new HubCacheRepo(cacheDir, repo);
        var tried = new List<string> { $"no local folder named {modelNameOrPath}" };

        if (cache.CommitOf(options.Revision) is { } cachedCommit)
        {
            string snapshot = cache.SnapshotDir(cachedCommit);
            var missing = files.Required.Where(f => !File.Exists(Path.Combine(snapshot, f))).ToList();
            if (files.OneOf.Count > 0 && !files.OneOf.Any(f => File.Exists(Path.Combine(snapshot, f))))
                missing.Add(string.Join(" or ", files.OneOf));
            if (missing.Count == 0)
            {
                logger?.LogInformation("Using {Repo} from the Hugging Face cache at {Snapshot}", repo, snapshot);
                return snapshot;
            }
            tried.Add($"cache snapshot {snapshot} lacks {string.Join(", ", missing)}");
        }
        else
        {
            tried.Add($"not in the Hugging Face cache at {cache.Root} (revision {options.Revision})");
        }

        if (BundledModels.Find(repo.Id) is { } bundled && (options.Revision == "main" || options.Revision == bundled.Commit))
        {
            string snapshot = await MaterializeAsync(cache, bundled, cancellationToken).ConfigureAwait(false);
            var missing = files.Required.Where(f => !File.Exists(Path.Combine(snapshot, f))).ToList();
            if (missing.Count == 0)
            {
                logger?.LogInformation("Using the bundled copy of {Repo} at {Snapshot}", repo, snapshot);
                return snapshot;
            }
            tried.Add($"the bundled copy lacks {string.Join(", ", missing)}");
        }

        if (options.ResolveOffline())
            throw new ModelLoadException($"cannot load {modelNameOrPath}: {string.Join("; ", tried)}; offline mode (HF_HUB_OFFLINE) forbids downloading");

        string endpoint = options.ResolveEndpoint();
        using var downloader = new HubDownloader(endpoint, options.ResolveToken(), options.ResolveStallTimeout(), options.Progress);
        try
        {
            return await DownloadAsync(downloader, cache, repo, options.Revision, files, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (HubDownloadException e)
        {
            tried.Add($"download from {endpoint} failed: {e.Message}");
            throw new ModelLoadException($"cannot load {modelNameOrPath}: {string.Join("; ", tried)}", e);
        }
    }

    /// <summary>Writes the bundled model into the cache as snapshot <see cref="IBundledModel.Commit"/>, whole or not at
    /// all, under the same per-repository lock file huggingface_hub uses, so concurrent first runs write it once.
    /// <c>refs/main</c> is pointed at it only when the cache has no main yet: a user's real download stays main.</summary>
    internal static async Task<string> MaterializeAsync(HubCacheRepo cache, IBundledModel bundled, CancellationToken ct)
    {
        string snapshot = cache.SnapshotDir(bundled.Commit);
        using (await CrossProcessLock.AcquireAsync(cache.LockFile(bundled.Commit), ct).ConfigureAwait(false))
        {
            AtomicFolder.Recover(snapshot);
            if (!Directory.Exists(snapshot))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(snapshot)!);
                AtomicFolder.Write(snapshot, bundled.WriteTo);
            }
            if (cache.CommitOf("main") is null)
                cache.WriteRef("main", bundled.Commit);
        }
        return snapshot;
    }

    private static async Task<string> DownloadAsync(HubDownloader downloader, HubCacheRepo cache, HubRepoId repo, string revision,
        ModelFiles files, ILogger? logger, CancellationToken ct)
    {
        logger?.LogInformation("Downloading {Repo} ({Revision}) into {Cache}", repo, revision, cache.Root);
        // The first file pins the commit, so every later file comes from the same snapshot even if the branch moves.
        string commit = await downloader.DownloadAsync(cache, repo, revision, files.Required[0], ct).ConfigureAwait(false);
        foreach (string file in files.Required.Skip(1))
            await downloader.DownloadAsync(cache, repo, commit, file, ct).ConfigureAwait(false);
        await DownloadFirstPresentAsync(downloader, cache, repo, commit, files.OneOf, ct).ConfigureAwait(false);

        var optional = new Queue<string>(files.Optional);
        var seen = new HashSet<string>(files.Required.Concat(files.Optional), StringComparer.Ordinal);
        string snapshot = cache.SnapshotDir(commit);
        while (optional.TryDequeue(out string? file))
        {
            if (!File.Exists(Path.Combine(snapshot, file)))
            {
                // Marked missing by an earlier or a concurrent download of the same commit.
                if (cache.IsKnownMissing(commit, file))
                    continue;
                try
                {
                    await downloader.DownloadAsync(cache, repo, commit, file, ct).ConfigureAwait(false);
                }
                catch (HubDownloadException e) when (e.NotFound)
                {
                    cache.MarkMissing(commit, file);
                    continue;
                }
            }
            if (file == "modules.json")
            {
                foreach (string moduleConfig in ModuleConfigFiles(snapshot, Path.Combine(snapshot, file)))
                {
                    if (seen.Add(moduleConfig))
                        optional.Enqueue(moduleConfig);
                }
            }
        }
        cache.WriteRef(revision, commit);
        return snapshot;
    }

    /// <summary>Fetches the first of <paramref name="candidates"/> the repository has (none when the list is empty).</summary>
    private static async Task DownloadFirstPresentAsync(HubDownloader downloader, HubCacheRepo cache, HubRepoId repo, string commit,
        IReadOnlyList<string> candidates, CancellationToken ct)
    {
        string snapshot = cache.SnapshotDir(commit);
        foreach (string file in candidates)
        {
            if (File.Exists(Path.Combine(snapshot, file)))
                return;
            try
            {
                await downloader.DownloadAsync(cache, repo, commit, file, ct).ConfigureAwait(false);
                return;
            }
            catch (HubDownloadException e) when (e.NotFound && file != candidates[^1])
            {
                // The repository publishes another format; try the next one.
            }
        }
    }

    private static IEnumerable<string> ModuleConfigFiles(string snapshot, string modulesJson)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(modulesJson));
        var result = new List<string>();
        foreach (var module in doc.RootElement.EnumerateArray())
        {
            if (module.TryGetProperty("path", out var p) && p.GetString() is { Length: > 0 } path
                && module.TryGetProperty("type", out var t) && t.GetString() is { } type && !type.EndsWith(".Normalize", StringComparison.Ordinal))
                result.Add(ModulePath.ConfigFile(snapshot, modulesJson, path));
        }
        return result;
    }

    private static bool LooksLikePath(string value) =>
        value.Length == 0 || value.StartsWith('.') || value.StartsWith('/') || value.StartsWith('~') || value.Contains('\\')
        || Path.IsPathRooted(value) || value.Count(c => c == '/') > 1;
}
