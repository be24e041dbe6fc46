using RerankKit.Tests.Infrastructure;
using RerankKit.Tokenization;

namespace RerankKit.Tests.Tokenization;

/// <summary>Hand-checked cases: the expected tokens follow from BERT's rules and the vocabulary, not from this code.</summary>
public sealed class WordPieceTokenizerTests
{
    private static readonly Lazy<WordPieceTokenizer> Uncased = new(() => WordPieceTokenizer.FromFolder(SharedData.Model("ms-marco-MiniLM-L6-v2")));

    private static string[] Tokens(string text) => Uncased.Value.Encode(text, 512).Tokens;

    [Fact]
    public void Accents_are_stripped_and_text_lower_cased_when_do_lower_case_is_set()
    {
        Assert.Equal(["[CLS]", "hello", "world", "cafe", "[SEP]"], Tokens("HÉLLO Wörld\tCAFÉ"));
    }

    [Fact]
    public void Cjk_ideographs_become_words_of_their_own()
    {
        Assert.Equal(["[CLS]", "北", "京", "is", "[SEP]"], Tokens("北京is"));
    }

    [Fact]
    public void Cjk_ranges_are_those_of_the_tokenizers_library()
    {
        Assert.Equal(["[CLS]", "a", "[UNK]", "b", "[SEP]"], Tokens("a\U0002B920b"));
        Assert.Equal(["[CLS]", "[UNK]", "[SEP]"], Tokens("a\U0002B820b"));
    }

    [Fact]
    public void Emoji_outside_the_vocabulary_become_unk_and_take_their_word_with_them()
    {
        Assert.Equal(["[CLS]", "hi", "!", "[UNK]", "[SEP]"], Tokens("hi!🤖"));
        Assert.Equal(["[CLS]", "[UNK]", "[SEP]"], Tokens("a🤖b"));
    }

    [Fact]
    public void A_word_over_100_characters_is_unk_and_one_of_exactly_100_is_not()
    {
        Assert.Equal(["[CLS]", "[UNK]", "[SEP]"], Tokens(new string('x', 150)));

        var pieces = Tokens(new string('x', 100))[1..^1];
        Assert.DoesNotContain("[UNK]", pieces);
        Assert.Equal(new string('x', 100), string.Concat(pieces.Select(p => p.Replace("##", ""))));
    }

    [Fact]
    public void Empty_and_blank_texts_give_only_the_special_tokens()
    {
        var empty = Uncased.Value.Encode("", 512);
        Assert.Equal([101, 102], empty.InputIds);
        Assert.Equal([0, 0], empty.TokenTypeIds);
        Assert.Equal([101, 102], Uncased.Value.Encode(" \t\n ", 512).InputIds);
        Assert.Equal(["[CLS]", "[SEP]", "[SEP]"], Uncased.Value.EncodePair("", "", 512).Tokens);
    }

    [Fact]
    public void Control_and_format_characters_are_dropped_and_whitespace_separates()
    {
        Assert.Equal(["[CLS]", "ab", "c", "[SEP]"], Tokens("a\u0000\u200Bb\u00A0c\uFFFD"));
    }

    [Fact]
    public void Special_token_text_is_tokenized_as_ordinary_text()
    {
        Assert.Equal(["[CLS]", "[", "sep", "]", "[SEP]"], Tokens("[SEP]"));
    }

    [Fact]
    public void Single_text_truncates_to_max_length_including_special_tokens()
    {
        var encoded = Uncased.Value.Encode("one two three four five", 4);
        Assert.Equal(["[CLS]", "one", "two", "[SEP]"], encoded.Tokens);
        Assert.Throws<ArgumentOutOfRangeException>(() => Uncased.Value.Encode("one", 1));
    }

    [Fact]
    public void Pair_has_token_type_0_up_to_the_first_separator_and_1_after()
    {
        var encoded = Uncased.Value.EncodePair("hello", "world cafe", 512);
        Assert.Equal(["[CLS]", "hello", "[SEP]", "world", "cafe", "[SEP]"], encoded.Tokens);
        Assert.Equal([0, 0, 0, 1, 1, 1], encoded.TokenTypeIds);
    }

    private static readonly string[] TinyVocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "cafe", "café", "Café", "北京", "北", "京", "##s"];

    [Fact]
    public void Options_follow_tokenizer_config_lower_casing_and_accent_stripping()
    {
        string[] Tok(BertTokenizerOptions o, string text) => new WordPieceTokenizer(TinyVocabulary, o).Encode(text, 16).Tokens[1..^1];

        Assert.Equal(["cafe", "cafe", "##s"], Tok(new BertTokenizerOptions(), "Café cafés"));
        Assert.Equal(["café", "café", "##s"], Tok(new BertTokenizerOptions { StripAccents = false }, "Café cafés"));
        Assert.Equal(["Café", "café", "##s"], Tok(new BertTokenizerOptions { LowerCase = false }, "Café cafés"));
        Assert.Equal(["cafe"], Tok(new BertTokenizerOptions { LowerCase = false, StripAccents = true }, "cafe\u0301"));
    }

    [Fact]
    public void Chinese_characters_are_only_split_apart_when_tokenize_chinese_chars_is_set()
    {
        Assert.Equal(["北", "京"], new WordPieceTokenizer(TinyVocabulary).Encode("北京", 16).Tokens[1..^1]);
        Assert.Equal(["北京"], new WordPieceTokenizer(TinyVocabulary, new BertTokenizerOptions { TokenizeChineseChars = false }).Encode("北京", 16).Tokens[1..^1]);
    }
}
