using RerankKit.Tests.Infrastructure;
using RerankKit.Tokenization;

namespace RerankKit.Tests.Tokenization;

public sealed class GoldenTokenizationTests
{
    private static readonly Dictionary<string, ITextTokenizer> Tokenizers = [];

    public static TheoryData<string, int> Cases => GoldenTokenization.AllCases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reproduces_golden_input_ids_and_token_type_ids(string fixture, int index)
    {
        var golden = GoldenTokenization.Load(fixture)[index];
        var tokenizer = TokenizerFor(fixture);

        var encoded = golden.Text is not null
            ? tokenizer.Encode(golden.Text, golden.MaxLength)
            : tokenizer.EncodePair(golden.Query!, golden.Document!, golden.MaxLength);

        Assert.Equal(golden.InputIds, encoded.InputIds);
        Assert.Equal(golden.TokenTypeIds ?? new int[golden.InputIds.Length], encoded.TokenTypeIds);
        Assert.Equal(encoded.InputIds.Length, encoded.Tokens.Length);
    }

    internal static ITextTokenizer TokenizerFor(string fixture)
    {
        lock (Tokenizers)
        {
            if (!Tokenizers.TryGetValue(fixture, out var tokenizer))
                Tokenizers[fixture] = tokenizer = TokenizerFactory.FromFolder(SharedData.Fixture(fixture));
            return tokenizer;
        }
    }
}
