using RerankKit.Inference;
using RerankKit.Tokenization;

namespace RerankKit.Tests.Inference;

public class TokenBatcherTests
{
    private static EncodedInput Input(int length) => new(Enumerable.Range(1, length).ToArray(), new int[length], new string[length]);

    [Fact]
    public void BatchesGroupSimilarLengthsLongestFirstAndCoverEveryInputOnce()
    {
        var inputs = new[] { 5, 40, 7, 39, 6, 41 }.Select(Input).ToArray();
        var plan = TokenBatcher.Plan(inputs, 2);
        Assert.Equal([[5, 1], [3, 2], [4, 0]], plan);
    }

    [Fact]
    public void PaddingReachesOnlyTheLongestInTheBatchWithMaskAndPadId()
    {
        var inputs = new[] { Input(3), Input(5) };
        var batch = TokenBatcher.Pad(inputs, [1, 0], padTokenId: 1);
        Assert.Equal(5, batch.SequenceLength);
        Assert.Equal([1L, 2, 3, 4, 5, 1, 2, 3, 1, 1], batch.InputIds);
        Assert.Equal([1L, 1, 1, 1, 1, 1, 1, 1, 0, 0], batch.AttentionMask);
    }
}
