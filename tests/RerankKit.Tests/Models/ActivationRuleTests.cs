using System.Text.Json;
using RerankKit.Models;

namespace RerankKit.Tests.Models;

public class ActivationRuleTests
{
    private static ModelConfig Config(string json) => ModelConfig.Parse(JsonDocument.Parse(json).RootElement);

    [Theory]
    [InlineData("torch.nn.modules.linear.Identity", ScoreActivation.Identity)]
    [InlineData("torch.nn.Identity", ScoreActivation.Identity)]
    [InlineData("torch.nn.modules.activation.Sigmoid", ScoreActivation.Sigmoid)]
    [InlineData("torch.nn.Sigmoid", ScoreActivation.Sigmoid)]
    public void PythonClassPathsMap(string name, ScoreActivation expected) =>
        Assert.Equal(expected, ActivationRule.FromPythonName(name));

    [Fact]
    public void UnsupportedActivationIsNamed() =>
        Assert.Contains("torch.nn.Tanh", Assert.Throws<ModelLoadException>(() => ActivationRule.FromPythonName("torch.nn.Tanh")).Message);

    [Fact]
    public void SentenceTransformersKeyWinsOverLegacyKey()
    {
        var config = Config("""
            {"model_type":"bert","sbert_ce_default_activation_function":"torch.nn.modules.linear.Identity",
             "sentence_transformers":{"activation_fn":"torch.nn.modules.activation.Sigmoid"}}
            """);
        Assert.Equal(ScoreActivation.Sigmoid, ActivationRule.Resolve(config));
    }

    [Fact]
    public void LegacyKeyIsUsedWhenAlone() =>
        Assert.Equal(ScoreActivation.Identity, ActivationRule.Resolve(Config("""{"model_type":"bert","sbert_ce_default_activation_function":"torch.nn.modules.linear.Identity"}""")));

    [Fact]
    public void OneLabelWithoutKeyIsSigmoidSeveralLabelsIdentity()
    {
        Assert.Equal(ScoreActivation.Sigmoid, ActivationRule.Resolve(Config("""{"model_type":"bert","id2label":{"0":"LABEL_0"}}""")));
        Assert.Equal(ScoreActivation.Identity, ActivationRule.Resolve(Config("""{"model_type":"bert","id2label":{"0":"a","1":"b","2":"c"}}""")));
    }

    [Fact]
    public void SigmoidOfThePublishedBerlinLogitsGivesThePublishedProbabilities()
    {
        // sbert.net: ms-marco-MiniLM-L6-v2 gives 8.607138 and -4.320078, and with Sigmoid 0.9998173 and 0.01312432.
        Assert.Equal(0.9998173, ActivationRule.Apply(ScoreActivation.Sigmoid, 8.607138f), 6);
        Assert.Equal(0.01312432, ActivationRule.Apply(ScoreActivation.Sigmoid, -4.320078f), 6);
        Assert.Equal(8.607138f, ActivationRule.Apply(ScoreActivation.Identity, 8.607138f));
    }

    [Theory]
    [InlineData("identity", ScoreActivation.Identity)]
    [InlineData("Sigmoid", ScoreActivation.Sigmoid)]
    public void UserChoiceParses(string value, ScoreActivation expected) => Assert.Equal(expected, ActivationRule.Parse(value));

    [Fact]
    public void BadUserChoiceIsAnArgumentError() => Assert.Throws<ArgumentException>(() => ActivationRule.Parse("softmax"));
}
