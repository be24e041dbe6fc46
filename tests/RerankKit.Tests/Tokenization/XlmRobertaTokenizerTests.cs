using RerankKit.Tests.Infrastructure;
using RerankKit.Tokenization;

namespace RerankKit.Tests.Tokenization;

public sealed class XlmRobertaTokenizerTests
{
    private static readonly Lazy<XlmRobertaTokenizer> Tokenizer = new(() => XlmRobertaTokenizer.FromFolder(SharedData.Fixture("tiny-xlmr-reranker")));

    [Fact]
    public void Pair_is_s_A_double_separator_B_separator_without_token_types()
    {
        var encoded = Tokenizer.Value.EncodePair("What", "Paris", 64);

        Assert.Equal(["<s>", "▁Wh", "at", "</s>", "</s>", "▁Paris", "</s>"], encoded.Tokens);
        Assert.Equal(0, encoded.InputIds[0]);
        Assert.Equal(2, encoded.InputIds[3]);
        Assert.All(encoded.TokenTypeIds, t => Assert.Equal(0, t));
        Assert.False(Tokenizer.Value.UsesTokenTypeIds);
        Assert.Equal(1, Tokenizer.Value.PadTokenId);
    }

    [Fact]
    public void Spaces_are_collapsed_trimmed_and_marked_with_a_leading_U2581()
    {
        Assert.Equal(Tokenizer.Value.Pieces("Paris is"), Tokenizer.Value.Pieces("   Paris \t\n  is  "));
        Assert.Equal(["▁Paris", "▁is"], Tokenizer.Value.Pieces("Paris is"));
        Assert.Equal(["<s>", "</s>"], Tokenizer.Value.Encode("  ", 16).Tokens);
        Assert.Equal(["<s>", "</s>"], Tokenizer.Value.Encode("", 16).Tokens);
    }

    [Fact]
    public void Nfkc_rules_of_the_model_fold_full_width_forms()
    {
        Assert.Equal(Tokenizer.Value.Pieces("Paris?"), Tokenizer.Value.Pieces("Ｐａｒｉｓ？"));
    }

    [Fact]
    public void A_run_of_unknown_characters_is_one_unk_with_fairseq_id_3()
    {
        var encoded = Tokenizer.Value.Encode("华人民", 16);
        Assert.Equal([0, 4, 3, 2], encoded.InputIds);
    }
}
