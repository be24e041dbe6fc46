using RerankKit.Models;
using RerankKit.Tests.Infrastructure;
using RerankKit.Tokenization;

namespace RerankKit.Tests.Tokenization;

public sealed class TokenizerFactoryTests
{
    [Theory]
    [InlineData("fixtures/tiny-bert-reranker", typeof(WordPieceTokenizer))]
    [InlineData("fixtures/tiny-bert-embedder", typeof(WordPieceTokenizer))]
    [InlineData("fixtures/minilm-l6-shaped-reranker", typeof(WordPieceTokenizer))]
    [InlineData("fixtures/tiny-xlmr-reranker", typeof(XlmRobertaTokenizer))]
    [InlineData("models/ms-marco-MiniLM-L6-v2", typeof(WordPieceTokenizer))]
    [InlineData("models/all-MiniLM-L6-v2", typeof(WordPieceTokenizer))]
    public void Picks_the_tokenizer_the_folder_asks_for(string folder, Type expected)
    {
        var tokenizer = TokenizerFactory.FromFolder(SharedData.Get(folder));
        Assert.IsType(expected, tokenizer);
        Assert.Equal(expected == typeof(WordPieceTokenizer), tokenizer.UsesTokenTypeIds);
    }

    [Fact]
    public void Missing_or_unusable_folders_raise_a_model_load_error()
    {
        Assert.Throws<ModelLoadException>(() => TokenizerFactory.FromFolder(Path.Combine(Path.GetTempPath(), "rerankkit-no-such-folder")));
        string empty = Directory.CreateTempSubdirectory("rerankkit-tok-").FullName;
        try
        {
            var error = Assert.Throws<ModelLoadException>(() => TokenizerFactory.FromFolder(empty));
            Assert.Contains("cannot tell which tokenizer", error.Message);
            File.WriteAllText(Path.Combine(empty, "tokenizer_config.json"), """{"tokenizer_class": "XLMRobertaTokenizer"}""");
            Assert.Contains(XlmRobertaTokenizer.ModelFileName, Assert.Throws<ModelLoadException>(() => TokenizerFactory.FromFolder(empty)).Message);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void Mpnet_folders_get_the_double_separator_pair_layout_without_token_types()
    {
        string folder = Directory.CreateTempSubdirectory("rerankkit-tok-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(folder, "vocab.txt"), ["<s>", "<pad>", "</s>", "[UNK]", "hello", "world"]);
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"),
                """{"tokenizer_class": "MPNetTokenizer", "do_lower_case": true, "cls_token": "<s>", "sep_token": "</s>", "pad_token": "<pad>", "unk_token": "[UNK]"}""");

            var tokenizer = TokenizerFactory.FromFolder(folder);
            var pair = tokenizer.EncodePair("Hello", "WORLD", 16);

            Assert.Equal(["<s>", "hello", "</s>", "</s>", "world", "</s>"], pair.Tokens);
            Assert.Equal([0, 4, 2, 2, 5, 2], pair.InputIds);
            Assert.All(pair.TokenTypeIds, t => Assert.Equal(0, t));
            Assert.False(tokenizer.UsesTokenTypeIds);
            Assert.Equal(1, tokenizer.PadTokenId);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Without_tokenizer_config_the_model_type_decides_and_unknown_tokenizer_classes_are_refused()
    {
        string folder = Directory.CreateTempSubdirectory("rerankkit-tok-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(folder, "vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello"]);
            File.WriteAllText(Path.Combine(folder, "config.json"), """{"model_type": "bert"}""");
            Assert.Equal([2, 4, 3], TokenizerFactory.FromFolder(folder).Encode("Hello", 8).InputIds);

            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"tokenizer_class": "T5Tokenizer"}""");
            Assert.Contains("T5Tokenizer", Assert.Throws<ModelLoadException>(() => TokenizerFactory.FromFolder(folder)).Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
