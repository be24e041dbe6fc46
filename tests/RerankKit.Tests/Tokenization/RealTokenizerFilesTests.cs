using RerankKit.Tests.Infrastructure;
using RerankKit.Tokenization;

namespace RerankKit.Tests.Tokenization;

/// <summary>The real tokenizer files of ms-marco-MiniLM-L6-v2 and all-MiniLM-L6-v2 share the fixtures' vocabulary,
/// so they must give the fixtures' golden ids.</summary>
public sealed class RealTokenizerFilesTests
{
    private static readonly Lazy<ITextTokenizer> Reranker = new(() => TokenizerFactory.FromFolder(SharedData.Model("ms-marco-MiniLM-L6-v2")));
    private static readonly Lazy<ITextTokenizer> Embedder = new(() => TokenizerFactory.FromFolder(SharedData.Model("all-MiniLM-L6-v2")));

    public static TheoryData<string, int> RerankerCases => GoldenTokenization.AllCases("tiny-bert-reranker", "minilm-l6-shaped-reranker");

    public static TheoryData<string, int> EmbedderCases => GoldenTokenization.AllCases("tiny-bert-embedder");

    [Theory]
    [MemberData(nameof(RerankerCases))]
    public void Ms_marco_MiniLM_tokenizer_reproduces_reranker_goldens(string fixture, int index)
    {
        var golden = GoldenTokenization.Load(fixture)[index];
        var encoded = golden.EncodeWith(Reranker.Value);
        Assert.Equal(golden.InputIds, encoded.InputIds);
        Assert.Equal(golden.TokenTypeIds, encoded.TokenTypeIds);
    }

    [Theory]
    [MemberData(nameof(EmbedderCases))]
    public void All_MiniLM_tokenizer_reproduces_embedder_goldens(string fixture, int index)
    {
        var golden = GoldenTokenization.Load(fixture)[index];
        Assert.Equal(golden.InputIds, golden.EncodeWith(Embedder.Value).InputIds);
    }

    [Fact]
    public void All_MiniLM_ignores_the_fixed_128_padding_and_truncation_of_its_tokenizer_json()
    {
        var tokenizer = Embedder.Value;

        Assert.Equal(["[CLS]", "hello", "world", "[SEP]"], tokenizer.Encode("Hello world", 256).Tokens);
        var longText = string.Join(' ', Enumerable.Repeat("retrieval systems rerank candidates", 200));
        Assert.Equal(256, tokenizer.Encode(longText, 256).Length);
        Assert.Equal(512, tokenizer.Encode(longText, 512).Length);
    }

    [Fact]
    public void A_folder_with_only_tokenizer_json_gives_the_same_ids_as_vocab_txt()
    {
        string folder = Directory.CreateTempSubdirectory("rerankkit-tok-").FullName;
        try
        {
            string source = SharedData.Model("ms-marco-MiniLM-L6-v2");
            foreach (string file in new[] { "tokenizer.json", "config.json" })
                File.Copy(Path.Combine(source, file), Path.Combine(folder, file));
            var fromJson = TokenizerFactory.FromFolder(folder);

            Assert.IsType<WordPieceTokenizer>(fromJson);
            foreach (var golden in GoldenTokenization.Load("tiny-bert-reranker"))
                Assert.Equal(golden.InputIds, golden.EncodeWith(fromJson).InputIds);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
