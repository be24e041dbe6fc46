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

        var encoded = golden.EncodeWith(TokenizerFor(fixture));

        Assert.Equal(golden.InputIds, encoded.InputIds);
        Assert.Equal(golden.TokenTypeIds ?? new int[golden.InputIds.Length], encoded.TokenTypeIds);
        Assert.Equal(encoded.InputIds.Length, encoded.Tokens.Length);
        if (golden.Pieces is not null)
        {
            string[] special = ["<s>", "</s>"];
            Assert.Equal(golden.Pieces, encoded.Tokens.Where(t => !special.Contains(t)));
        }
    }

    [Fact]
    public void Concurrent_callers_get_the_same_ids_as_sequential_ones()
    {
        var work = GoldenTokenization.Fixtures
            .SelectMany(f => GoldenTokenization.Load(f).Select(g => (Tokenizer: TokenizerFor(f), Golden: g)))
            .ToArray();
        var results = new int[work.Length * 8][];

        Parallel.For(0, results.Length, i => results[i] = work[i % work.Length].Golden.EncodeWith(work[i % work.Length].Tokenizer).InputIds);

        for (int i = 0; i < results.Length; i++)
            Assert.Equal(work[i % work.Length].Golden.InputIds, results[i]);
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
