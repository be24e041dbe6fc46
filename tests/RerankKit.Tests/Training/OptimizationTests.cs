using RerankKit.Training;
using RerankKit.Training.Optimization;

namespace RerankKit.Tests.Training;

public sealed class OptimizationTests
{
    [Fact]
    public void AdamWMatchesHandComputedTwoSteps()
    {
        var weight = new TrainableParameter("encoder.layer.0.output.dense.weight", [1f], [0.5f]);
        var bias = new TrainableParameter("encoder.layer.0.output.dense.bias", [1f], [0.5f]);
        var norm = new TrainableParameter("embeddings.LayerNorm.weight", [1f], [0.5f]);
        var adam = new AdamW([weight, bias, norm], new AdamWOptions { WeightDecay = 0.01 });

        adam.Update(0.1);
        // First Adam step moves by lr·sign(g); only the dense weight also decays: 1·(1 - 0.1·0.01) - 0.1.
        Assert.Equal(0.899, weight.Value[0], 6);
        Assert.Equal(0.9, bias.Value[0], 6);
        Assert.Equal(0.9, norm.Value[0], 6);

        bias.Gradient[0] = -0.5f;
        adam.Update(0.1);
        // m = 0.9·0.05 - 0.1·0.5 = -0.005, v = 0.999·0.00025 + 0.001·0.25; m̂ = m/0.19, v̂ = v/0.001999.
        double m = -0.005 / 0.19, v = (0.999 * 0.00025 + 0.001 * 0.25) / (1 - 0.999 * 0.999);
        Assert.Equal(0.9 - 0.1 * m / (Math.Sqrt(v) + 1e-8), bias.Value[0], 5);
        Assert.Equal(2, adam.Step);
    }

    [Fact]
    public void AdamWRestoredFromItsStateContinuesIdentically()
    {
        var a = new TrainableParameter("w", [1f, -2f], [0.3f, -0.1f]);
        var b = new TrainableParameter("w", [1f, -2f], [0.3f, -0.1f]);
        var first = new AdamW([a]);
        first.Update(0.01);
        var second = new AdamW([b]);
        b.Value[0] = a.Value[0];
        b.Value[1] = a.Value[1];
        var (m, v) = first.Moments(0);
        second.Restore(first.Step, [(float[])m.Clone()], [(float[])v.Clone()]);
        first.Update(0.01);
        second.Update(0.01);
        Assert.Equal(a.Value, b.Value);
    }

    [Fact]
    public void LinearScheduleWarmsUpThenDecaysToZero()
    {
        var schedule = LinearWarmupSchedule.FromRatio(1e-3, 0.1, 100);
        Assert.Equal(10, schedule.WarmupSteps);
        Assert.Equal(0, schedule.LearningRateAt(0));
        Assert.Equal(5e-4, schedule.LearningRateAt(5), 12);
        Assert.Equal(1e-3, schedule.LearningRateAt(10), 12);
        Assert.Equal(1e-3 * 45 / 90, schedule.LearningRateAt(55), 12);
        Assert.Equal(0, schedule.LearningRateAt(100));
    }

    [Fact]
    public void ClippingScalesToTheGlobalNormOnlyWhenAbove()
    {
        var p = new TrainableParameter("a", [0f, 0f], [3f, 0f]);
        var q = new TrainableParameter("b", [0f], [4f]);
        double norm = GradientClipping.ClipGlobalNorm([p, q], 1.0);
        Assert.Equal(5, norm, 9);
        Assert.Equal(0.6, p.Gradient[0], 5);
        Assert.Equal(0.8, q.Gradient[0], 5);
        Assert.Equal(1.0, GradientClipping.ClipGlobalNorm([p, q], 10.0), 4);
        Assert.Equal(0.6, p.Gradient[0], 5);
    }

    [Fact]
    public void SeededRandomIsDeterministicAndResumable()
    {
        var a = new SeededRandom(42);
        var b = new SeededRandom(42);
        Assert.Equal(Enumerable.Range(0, 5).Select(_ => a.NextUInt64()), Enumerable.Range(0, 5).Select(_ => b.NextUInt64()));
        Assert.NotEqual(new SeededRandom(43).NextUInt64(), new SeededRandom(42).NextUInt64());
        var resumed = SeededRandom.FromState(a.State);
        Assert.Equal(a.NextDouble(), resumed.NextDouble());

        // Uniformity: 10,000 draws of Next(4) land near 2,500 per bucket; Gaussian mean ≈ 0, variance ≈ 1.
        var counts = new int[4];
        for (int i = 0; i < 10_000; i++)
            counts[a.Next(4)]++;
        Assert.All(counts, c => Assert.InRange(c, 2300, 2700));
        var g = Enumerable.Range(0, 20_000).Select(_ => a.NextGaussian()).ToArray();
        Assert.InRange(g.Average(), -0.05, 0.05);
        Assert.InRange(g.Select(x => x * x).Average(), 0.95, 1.05);
    }
}
