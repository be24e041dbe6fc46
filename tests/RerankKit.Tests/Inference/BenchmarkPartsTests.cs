using RerankKit.Inference.Benchmark;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;
using RerankKit.Tokenization;

namespace RerankKit.Tests.Inference;

public class BenchmarkPartsTests
{
    [Fact]
    public void FlopFormulaMatchesAHandCountForMiniLmAt216Tokens()
    {
        var flops = EncoderFlops.Of(ModelFolder.Open(SharedData.Fixture("minilm-l6-shaped-reranker")).Config);
        // 6 * (8*216*384^2 + 4*216*384*1536 + 4*216^2*384) = 6 * (254,803,968 + 509,607,936 + 71,663,616)
        Assert.Equal(5_016_453_120d, flops.ForSequence(216));
        // The figures: 53 pairs/s at 216 tokens is about 265 GFLOP/s.
        Assert.InRange(53 * flops.ForSequence(216) / 1e9, 260, 270);
    }

    [Fact]
    public void SyntheticDocumentsHaveExactlyTheRequestedTokenCount()
    {
        string folder = SharedData.Fixture("tiny-bert-reranker");
        var tokenizer = TokenizerFactory.FromFolder(folder);
        int[] lengths = BenchmarkCorpus.SpreadLengths(12, 20, 400, seed: 3);
        Assert.Equal(20, lengths.Min());
        Assert.Equal(400, lengths.Max());
        var docs = BenchmarkCorpus.Documents(BenchmarkCorpus.Words(folder), lengths, seed: 3);
        for (int i = 0; i < docs.Length; i++)
            Assert.Equal(lengths[i] + 2, tokenizer.Encode(docs[i], 512).Length);
    }
}
