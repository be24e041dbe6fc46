using RerankKit.Tests.Infrastructure;
using RerankKit.Tokenization;
using RerankKit.Tokenization.Json;

namespace RerankKit.Tests.Tokenization.Json;

/// <summary>Which tokenizer <see cref="TokenizerFactory.FromFolder"/> builds for the architecture fixtures, with the
/// pad id and padding side their tokenizer_config.json asks for (Qwen3's files name no padding side: left padding
/// is the model card's rule, applied by the model kind, not the tokenizer's).</summary>
public sealed class FactoryRoutingTests
{
    [Theory]
    [InlineData("tiny-modernbert-reranker", 50283, TokenizerPaddingSide.Right)]
    [InlineData("tiny-qwen3-reranker", 151643, TokenizerPaddingSide.Right)]
    [InlineData("tiny-qwen3-embedder", 151643, TokenizerPaddingSide.Right)]
    [InlineData("tiny-monot5-reranker", 0, TokenizerPaddingSide.Right)]
    public void A_folder_with_a_non_bert_tokenizer_json_gets_the_runtime(string fixture, int padId, TokenizerPaddingSide side)
    {
        var tokenizer = TokenizerFactory.FromFolder(SharedData.Fixture(fixture));

        var json = Assert.IsType<HuggingFaceTokenizer>(tokenizer);
        Assert.Equal(padId, json.PadTokenId);
        Assert.Equal(side, tokenizer.PaddingSide);
    }

    [Fact]
    public void Padding_side_left_in_tokenizer_config_is_honoured()
    {
        string folder = Directory.CreateTempSubdirectory("rerankkit-tok-").FullName;
        try
        {
            File.Copy(Path.Combine(SharedData.Fixture("tiny-qwen3-reranker"), "tokenizer.json"), Path.Combine(folder, "tokenizer.json"));
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"padding_side": "left", "pad_token": "<|im_end|>"}""");

            var tokenizer = TokenizerFactory.FromFolder(folder);

            Assert.Equal(TokenizerPaddingSide.Left, tokenizer.PaddingSide);
            Assert.Equal(151645, tokenizer.PadTokenId);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_tokenizer_only_folder_needs_no_config_json()
    {
        var tokenizer = TokenizerFactory.FromFolder(SharedData.Fixture("tokenizers/t5-small"));

        var encoded = tokenizer.EncodePair("a query", "a document", 512);
        Assert.Equal("</s>", encoded.Tokens[^1]);
        Assert.False(tokenizer.UsesTokenTypeIds);
    }
}
