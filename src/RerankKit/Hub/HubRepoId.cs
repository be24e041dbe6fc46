using System.Text.RegularExpressions;

namespace RerankKit.Hub;

/// <summary>A hub model id such as <c>cross-encoder/ms-marco-MiniLM-L6-v2</c> (or a legacy id without owner).</summary>
public sealed partial record HubRepoId(string Id)
{
    [GeneratedRegex(@"^(?:[A-Za-z0-9][\w.\-]*/)?[A-Za-z0-9][\w.\-]*$")]
    private static partial Regex Pattern();

    /// <summary>The cache folder name, <c>models--ORG--NAME</c>.</summary>
    public string CacheFolderName => "models--" + Id.Replace("/", "--", StringComparison.Ordinal);

    public static bool TryParse(string value, out HubRepoId id)
    {
        id = new HubRepoId(value);
        return Pattern().IsMatch(value) && !value.Contains("..", StringComparison.Ordinal) && !value.EndsWith(".git", StringComparison.Ordinal);
    }

    public override string ToString() => Id;
}
