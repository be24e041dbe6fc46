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
}
