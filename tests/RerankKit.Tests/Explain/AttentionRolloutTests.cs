using RerankKit.Explain;

namespace RerankKit.Tests.Explain;

public sealed class AttentionRolloutTests
{
    [Fact]
    public void TwoLayersMatchTheHandComputedRollout()
    {
        // Layer 1: heads [[1,0],[.5,.5]] and [[0,1],[.5,.5]] average to [[.5,.5],[.5,.5]]; adding I and renormalising
        // gives [[.75,.25],[.25,.75]]. Layer 2: heads [[1,0],[1,0]] and [[1,0],[0,1]] average to [[1,0],[.5,.5]],
        // giving [[1,0],[.25,.75]]. Rollout = A2 A1 = [[.75,.25],[.375,.625]].
        float[] layer1 = [1, 0, 0.5f, 0.5f, 0, 1, 0.5f, 0.5f];
        float[] layer2 = [1, 0, 1, 0, 1, 0, 0, 1];
        var matrix = AttentionRollout.Matrix([layer1, layer2], numHeads: 2, sequenceLength: 2);
        double[] expected = [0.75, 0.25, 0.375, 0.625];
        for (int k = 0; k < 4; k++)
            Assert.Equal(expected[k], matrix[k], 12);
        Assert.Equal([0.75, 0.25], AttentionRollout.FromToken([layer1, layer2], 2, 2));
        Assert.Equal([0.375, 0.625], AttentionRollout.FromToken([layer1, layer2], 2, 2, from: 1));
    }

    [Fact]
    public void NoLayersIsTheIdentityAndOrderMatters()
    {
        Assert.Equal([1.0, 0, 0, 1], AttentionRollout.Matrix([], 1, 2));
        float[] a = [0, 1, 0, 1];
        float[] b = [1, 0, 1, 0];
        // One head: A = (W + I) / 2, so A_a = [[.5,.5],[0,1]] and A_b = [[1,0],[.5,.5]].
        // a then b: A_b A_a = [[.5,.5],[.25,.75]]; b then a: A_a A_b = [[.75,.25],[.5,.5]].
        var ab = AttentionRollout.Matrix([a, b], 1, 2);
        var ba = AttentionRollout.Matrix([b, a], 1, 2);
        Assert.Equal([0.5, 0.5, 0.25, 0.75], ab.Select(v => Math.Round(v, 12)));
        Assert.Equal([0.75, 0.25, 0.5, 0.5], ba.Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void EntropyOfUniformAndOneHotRows()
    {
        float[] uniform = Enumerable.Repeat(0.25f, 16).ToArray();
        float[] oneHot = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
        var entropy = AttentionEntropy.PerHead([[.. uniform, .. oneHot]], numHeads: 2, sequenceLength: 4);
        Assert.Equal(Math.Log(4), entropy[0][0], 6);
        Assert.Equal(0, entropy[0][1], 12);
    }
}
