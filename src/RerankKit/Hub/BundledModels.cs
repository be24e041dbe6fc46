using System.Collections.Concurrent;

namespace RerankKit.Hub;

/// <summary>The bundled models hub ids can resolve to offline, by hub id. The core ships none; a package adds its
/// models with <see cref="Register"/> (RerankKit.Models.Bundled: <c>BundledModelCatalog.Register()</c>), as engines
/// are added to <see cref="Inference.EncoderBackends"/>.</summary>
public static class BundledModels
{
    private static readonly ConcurrentDictionary<string, IBundledModel> Models = new(StringComparer.Ordinal);

    /// <summary>Adds or replaces the bundle for <see cref="IBundledModel.RepoId"/>.</summary>
    public static void Register(IBundledModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!HubRepoId.TryParse(model.RepoId, out _))
            throw new ArgumentException($"'{model.RepoId}' is not a hub model id", nameof(model));
        if (!HubCacheRepo.IsCommit(model.Commit))
            throw new ArgumentException($"bundled model {model.RepoId} has commit '{model.Commit}', not a 40-hex commit", nameof(model));
        Models[model.RepoId] = model;
    }

    public static IReadOnlyList<IBundledModel> All => Models.Values.OrderBy(m => m.RepoId, StringComparer.Ordinal).ToArray();

    public static IBundledModel? Find(string repoId) => Models.GetValueOrDefault(repoId);
}
