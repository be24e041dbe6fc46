using Microsoft.Extensions.AI;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Prompts;

public class TruncateDimTests
{
    private static readonly string[] Texts = ["the cat sat on the mat", "dogs and their owners"];

    [Fact]
    public void TruncateDimKeepsTheFirstDimensionsThenNormalizes()
    {
        using var model = new BiEncoder(SharedData.Fixture("tiny-bert-embedder"), new BiEncoderOptions { Threads = 1 });
        var raw = model.Encode(Texts, new EncodeOptions { NormalizeEmbeddings = false });
        var truncated = model.Encode(Texts, new EncodeOptions { TruncateDim = 8 });
        for (int i = 0; i < Texts.Length; i++)
        {
            float[] head = raw[i][..8];
            float norm = MathF.Sqrt(head.Sum(x => x * x));
            Assert.Equal(8, truncated[i].Length);
            for (int d = 0; d < 8; d++)
                Assert.Equal(head[d] / norm, truncated[i][d], 1e-6f);
        }
        var unnormalized = model.Encode(Texts, new EncodeOptions { TruncateDim = 8, NormalizeEmbeddings = false });
        Assert.Equal(raw[0][..8], unnormalized[0]);
    }

    [Fact]
    public async Task EmbeddingGenerationDimensionsTruncates()
    {
        using var model = new BiEncoder(SharedData.Fixture("tiny-bert-embedder"), new BiEncoderOptions { Threads = 1 });
        IEmbeddingGenerator<string, Embedding<float>> generator = model;
        var generated = await generator.GenerateAsync(Texts, new EmbeddingGenerationOptions { Dimensions = 8 });
        Assert.Equal(model.Encode(Texts, new EncodeOptions { TruncateDim = 8 })[1], generated[1].Vector.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public void ATruncateDimOutsideTheModelsDimensionIsRefused(int dim)
    {
        using var model = new BiEncoder(SharedData.Fixture("tiny-bert-embedder"), new BiEncoderOptions { Threads = 1 });
        var e = Assert.Throws<ArgumentException>(() => model.Encode(Texts, new EncodeOptions { TruncateDim = dim }));
        Assert.Contains("1..32", e.Message);
    }
}
