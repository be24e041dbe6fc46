using RerankKit.Inference;

namespace RerankKit.Tests.Architectures;

/// <summary>The padding identities a decoder relies on: left padding puts every row's last real token last, the mask
/// comes from lengths (a text may contain the pad id itself), and position ids count each row's own tokens from 0
/// with padding at 1, as Hugging Face's generate and optimum feed them.</summary>
public class LeftPaddingTests
{
    [Fact]
    public void LeftPaddingAlignsRowsOnTheRight()
    {
        var batch = TokenBatch.Pad([[5, 6, 7], [9]], null, 0, padLeft: true);
        Assert.True(batch.PadsLeft);
        Assert.Equal([5L, 6, 7, 0, 0, 9], batch.InputIds);
        Assert.Equal([1L, 1, 1, 0, 0, 1], batch.AttentionMask);
        Assert.Equal([0L, 1, 2, 1, 1, 0], batch.PositionIds());
        Assert.Equal(2, batch.LastTokenIndex(0));
        Assert.Equal(2, batch.LastTokenIndex(1));
    }

    [Fact]
    public void RightPaddingPositionsAreArangeOverRealTokens()
    {
        var batch = TokenBatch.Pad([[5, 6, 7], [9]], null, 0);
        Assert.Equal([0L, 1, 2, 0, 1, 1], batch.PositionIds());
        Assert.Equal(2, batch.LastTokenIndex(0));
        Assert.Equal(0, batch.LastTokenIndex(1));
    }

    [Fact]
    public void APadIdInsideTheTextKeepsItsAttention()
    {
        const int endOfText = 151643;
        var batch = TokenBatch.Pad([[endOfText, 3, endOfText], [4]], null, endOfText, padLeft: true);
        Assert.Equal([1L, 1, 1, 0, 0, 1], batch.AttentionMask);
        Assert.Equal(2, batch.LastTokenIndex(0));
    }
}
