namespace RerankKit.Tokenization;

/// <summary>How special tokens wrap one text or a pair: BERT's <c>[CLS] A [SEP] B [SEP]</c> with token types
/// 0 then 1, or RoBERTa/XLM-R's <c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c> with token types all 0.</summary>
internal sealed class SequenceTemplate(int startId, int separatorId, bool doubleSeparatorInPair, bool secondSegmentTyped, Func<int, string> tokenOf)
{
    private int PairSpecialCount => doubleSeparatorInPair ? 4 : 3;

    public EncodedInput Single(List<int> ids, int maxLength)
    {
        if (maxLength < 2)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "max_length must leave room for the 2 special tokens.");
        int n = Math.Min(ids.Count, maxLength - 2);
        var input = new int[n + 2];
        input[0] = startId;
        ids.CopyTo(0, input, 1, n);
        input[n + 1] = separatorId;
        return new EncodedInput(input, new int[input.Length], Tokens(input));
    }

    /// <param name="firstCompared">The length <c>longest_first</c> weighs the first text at (see
    /// <see cref="Json.PairTruncation"/>): its token count unless the caller caps it in whole words.</param>
    public EncodedInput Pair(List<int> first, List<int> second, int maxLength, int? firstCompared = null, int? secondCompared = null)
    {
        int specials = PairSpecialCount;
        if (maxLength < specials)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"max_length must leave room for the {specials} special tokens.");
        var (n1, n2) = first.Count + second.Count <= maxLength - specials
            ? (first.Count, second.Count)
            : LongestFirstTruncation.Lengths(firstCompared ?? first.Count, secondCompared ?? second.Count, maxLength - specials);
        var input = new int[n1 + n2 + specials];
        var types = new int[input.Length];
        int p = 0;
        input[p++] = startId;
        first.CopyTo(0, input, p, n1);
        p += n1;
        input[p++] = separatorId;
        if (doubleSeparatorInPair)
            input[p++] = separatorId;
        int secondStart = p;
        second.CopyTo(0, input, p, n2);
        p += n2;
        input[p] = separatorId;
        if (secondSegmentTyped)
            types.AsSpan(secondStart).Fill(1);
        return new EncodedInput(input, types, Tokens(input));
    }

    private string[] Tokens(int[] ids)
    {
        var tokens = new string[ids.Length];
        for (int i = 0; i < ids.Length; i++)
            tokens[i] = tokenOf(ids[i]);
        return tokens;
    }
}
