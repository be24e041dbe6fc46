using System.Text.RegularExpressions;

namespace RerankKit.Retrieval;

/// <summary>The "speed" mode: before the cross-encoder runs, keep only the <see cref="Keep"/> first-stage candidates
/// with the highest word-set Jaccard similarity to the query (ties keep first-stage order), so fewer pairs are scored.</summary>
public sealed partial record JaccardPrefilter(int Keep = 20)
{
    /// <summary>|A and B| / |A or B| over lower-cased word sets; 0 when both are empty.</summary>
    public static double Similarity(string a, string b) => Similarity(Words(a), Words(b));

    internal static double Similarity(HashSet<string> a, HashSet<string> b)
    {
        int common = a.Count(b.Contains);
        int union = a.Count + b.Count - common;
        return union == 0 ? 0 : (double)common / union;
    }

    internal static HashSet<string> Words(string text) =>
        WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\w+")]
    private static partial Regex WordPattern();
}
