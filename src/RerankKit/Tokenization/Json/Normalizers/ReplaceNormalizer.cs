namespace RerankKit.Tokenization.Json.Normalizers;

/// <summary><c>Replace</c>: every match of a literal string or a regex becomes <c>content</c>.</summary>
internal sealed class ReplaceNormalizer(TextPattern pattern, string content) : INormalizer
{
    public void Normalize(NormalizedString text)
    {
        var matches = pattern.Matches(text.Text);
        if (matches.Count > 0)
            text.ReplaceRanges(matches, content);
    }
}
