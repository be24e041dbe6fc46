namespace RerankKit.Hub;

/// <summary>A model repository found in the Hugging Face cache: its hub id, the commit <c>refs/main</c> names (null
/// when only pinned commits were fetched) and the commits it has snapshots of.</summary>
public sealed record CachedModel(string RepoId, string? MainCommit, IReadOnlyList<string> Snapshots);
