using System.Text.RegularExpressions;

namespace RerankKit.Retrieval;

/// <summary>Finds keywords in text case-insensitively at the start of a word, so "gpu" matches "GPUs" but not
/// "xgpu"; multi-word keywords match as phrases.</summary>
public sealed class KeywordMatcher
{
    private readonly (string Keyword, Regex Pattern)[] _patterns;

    public KeywordMatcher(IEnumerable<string> keywords)
    {
        _patterns = keywords.Where(k => !string.IsNullOrWhiteSpace(k))
            .Select(k => k.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(k => (k, new Regex($@"(?<!\w){Regex.Escape(k)}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)))
            .ToArray();
    }

    public IReadOnlyList<string> Keywords => _patterns.Select(p => p.Keyword).ToArray();

    /// <summary>The distinct keywords that occur in <paramref name="text"/>.</summary>
    public IReadOnlyList<string> Matches(string text) =>
        _patterns.Where(p => p.Pattern.IsMatch(text)).Select(p => p.Keyword).ToArray();

    public bool AnyMatch(string text) => _patterns.Any(p => p.Pattern.IsMatch(text));
}
