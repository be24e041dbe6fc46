namespace RerankKit.Hub;

/// <summary>A hub model whose files ship inside a package, so its id resolves without the network. The
/// <see cref="ModelLocator"/> asks a registered bundle (see <see cref="BundledModels"/>) after the Hugging Face cache
/// and before downloading, and writes it into the cache once as the snapshot <see cref="Commit"/>.</summary>
public interface IBundledModel
{
    /// <summary>The hub id it stands in for, such as <c>sentence-transformers/all-MiniLM-L6-v2</c>.</summary>
    string RepoId { get; }

    /// <summary>The fixed 40-hex commit its snapshot is filed under, so <c>refs/main</c> is valid and other tools
    /// reading the cache see an ordinary snapshot.</summary>
    string Commit { get; }

    /// <summary>Writes the complete model folder (config, weights, tokenizer and sentence-transformers module files)
    /// into the empty <paramref name="folder"/>.</summary>
    void WriteTo(string folder);
}
