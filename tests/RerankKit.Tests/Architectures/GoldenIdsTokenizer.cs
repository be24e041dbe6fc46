using RerankKit.Tokenization;

namespace RerankKit.Tests.Architectures;

/// <summary>Answers with ids the golden.json gives for exact strings (and checks the max length asked for), so that
/// the model side is tested on exactly the oracle's inputs, apart from any tokenizer. A string it does not know is a
/// test error, never a guess.</summary>
internal sealed class GoldenIdsTokenizer(int padTokenId, bool usesTokenTypeIds) : ITextTokenizer
{
    private readonly Dictionary<(string, string?), (int[] Ids, int[]? Types, int? MaxLength)> _known = new();

    public int PadTokenId => padTokenId;

    public bool UsesTokenTypeIds => usesTokenTypeIds;

    /// <summary>Teaches it a text or pair; <paramref name="maxLength"/> null accepts any max length.</summary>
    public GoldenIdsTokenizer Add(string first, string? second, int[] ids, int[]? types = null, int? maxLength = null)
    {
        _known[(first, second)] = (ids, types, maxLength);
        return this;
    }

    public EncodedInput Encode(string text, int maxLength) => Lookup(text, null, maxLength);

    public EncodedInput EncodePair(string first, string second, int maxLength) => Lookup(first, second, maxLength);

    private EncodedInput Lookup(string first, string? second, int maxLength)
    {
        if (!_known.TryGetValue((first, second), out var entry))
            throw new InvalidOperationException($"no golden ids for '{first}' / '{second}'");
        if (entry.MaxLength is { } expected)
            Assert.Equal(expected, maxLength);
        return new EncodedInput(entry.Ids, entry.Types ?? new int[entry.Ids.Length], entry.Ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }
}
