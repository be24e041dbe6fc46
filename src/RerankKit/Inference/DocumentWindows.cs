using RerankKit.Tokenization;

namespace RerankKit.Inference;

/// <summary>Cuts a long document into overlapping windows, each laid out as the tokenizer lays out the whole pair
/// (e.g. <c>[CLS] q [SEP] window [SEP]</c> or <c>&lt;s&gt; q &lt;/s&gt;&lt;/s&gt; window &lt;/s&gt;</c>).</summary>
internal static class DocumentWindows
{
    private const int Untruncated = 1 << 20;

    /// <summary>One encoding when the pair fits in <paramref name="maxLength"/>; otherwise one per window. Falls back
    /// to the tokenizer's own truncation when the query leaves less than a quarter of the window for the document.</summary>
    public static IReadOnlyList<EncodedInput> Encode(ITextTokenizer tokenizer, string query, string document, int maxLength, int? stride)
    {
        var full = tokenizer.EncodePair(query, document, Untruncated);
        if (full.Length <= maxLength)
            return [full];
        var alone = tokenizer.Encode(document, Untruncated);
        int docTokens = alone.Length - 2;
        const int suffix = 1;
        int prefix = full.Length - docTokens - suffix;
        int window = maxLength - prefix - suffix;
        if (docTokens <= 0 || prefix <= 0 || window < maxLength / 4
            || !full.InputIds.AsSpan(prefix, docTokens).SequenceEqual(alone.InputIds.AsSpan(1, docTokens)))
            return [tokenizer.EncodePair(query, document, maxLength)];

        int step = stride ?? Math.Max(1, window / 2);
        if (step < 1)
            throw new ArgumentException($"long-document stride must be at least 1, not {step}");
        var windows = new List<EncodedInput>();
        for (int start = 0; ; start += step)
        {
            int end = Math.Min(start + window, docTokens);
            windows.Add(Slice(full, prefix, start, end));
            if (end == docTokens)
                break;
        }
        return windows;
    }

    private static EncodedInput Slice(EncodedInput full, int prefix, int start, int end)
    {
        int length = prefix + (end - start) + 1;
        var ids = new int[length];
        var types = new int[length];
        var tokens = new string[length];
        Copy(full, 0, 0, prefix);
        Copy(full, prefix + start, prefix, end - start);
        Copy(full, full.Length - 1, length - 1, 1);
        return new EncodedInput(ids, types, tokens);

        void Copy(EncodedInput source, int from, int to, int count)
        {
            Array.Copy(source.InputIds, from, ids, to, count);
            if (source.TokenTypeIds.Length == source.Length)
                Array.Copy(source.TokenTypeIds, from, types, to, count);
            if (source.Tokens.Length == source.Length)
                Array.Copy(source.Tokens, from, tokens, to, count);
        }
    }
}
