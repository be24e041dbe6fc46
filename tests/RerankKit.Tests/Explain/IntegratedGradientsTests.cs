using RerankKit.Explain;

namespace RerankKit.Tests.Explain;

public sealed class IntegratedGradientsTests
{
    private static (ToyExplainableModel Model, RerankKit.Tokenization.EncodedInput Input, bool[] Special) Toy()
    {
        var input = new ToyTokenizer().EncodePair("who invented the telephone", "alexander graham bell patented the telephone in 1876", 64);
        var special = TokenRoles.Assign(input.Tokens).Select(r => r == TokenRole.Special).ToArray();
        return (new ToyExplainableModel(), input, special);
    }

    [Theory]
    [InlineData(IntegrationRule.Trapezoid)]
    [InlineData(IntegrationRule.RiemannMiddle)]
    public void AttributionsSumToTheScoreDifferenceWithinOnePercentAt100Steps(IntegrationRule rule)
    {
        var (model, input, special) = Toy();
        var ig = IntegratedGradients.Compute(model, input, special, padTokenId: 0, steps: 100, rule);
        var baseline = model.WordEmbeddings(input.InputIds.Select((id, i) => special[i] ? id : 0).ToArray());
        Assert.Equal(model.Forward(input, keepAll: false).Score, ig.InputScore, 5);
        Assert.Equal(model.Forward(input, baseline, keepAll: false).Score, ig.BaselineScore, 5);
        Assert.True(Math.Abs(ig.ScoreDelta) > 0.05, $"the toy pair should move the score (delta {ig.ScoreDelta})");
        Assert.True(ig.CompletenessError < 0.01, $"completeness error {ig.CompletenessError:P3}");
    }

    [Fact]
    public void SpecialTokensKeepTheirEmbeddingsAndGetNoAttribution()
    {
        var (model, input, special) = Toy();
        var ig = IntegratedGradients.Compute(model, input, special, 0, steps: 20);
        for (int i = 0; i < input.Length; i++)
            if (special[i]) Assert.Equal(0, ig.Attributions[i]);
            else Assert.NotEqual(0, ig.Attributions[i]);
    }

    [Fact]
    public void MoreStepsConvergeAndTrapezoidWeightsSumToOne()
    {
        var (model, input, special) = Toy();
        var coarse = IntegratedGradients.Compute(model, input, special, 0, steps: 10);
        var fine = IntegratedGradients.Compute(model, input, special, 0, steps: 400);
        Assert.True(fine.CompletenessError <= coarse.CompletenessError + 1e-9);
        Assert.True(fine.CompletenessError < 1e-3, $"error at 400 steps {fine.CompletenessError:P4}");
        var (alphas, weights) = IntegratedGradients.Nodes(7, IntegrationRule.Trapezoid);
        Assert.Equal(8, alphas.Length);
        Assert.Equal(1.0, weights.Sum(), 12);
        Assert.Equal((0.0, 1.0), (alphas[0], alphas[^1]));
    }
}
