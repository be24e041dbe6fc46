using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Architectures;

/// <summary>What <see cref="ModelFolder"/> decides from config.json and the sentence-transformers files of each
/// README-architectures.md fixture, as the README states it.</summary>
public class ArchitectureFolderTests
{
    [Theory]
    [InlineData("tiny-modernbert-reranker", "modernbert", ModelKind.CrossEncoder, ScoreRule.Classifier, false, 8192)]
    [InlineData("tiny-electra-reranker", "electra", ModelKind.CrossEncoder, ScoreRule.Classifier, false, 512)]
    [InlineData("tiny-distilbert-nli", "distilbert", ModelKind.CrossEncoder, ScoreRule.Classifier, false, 512)]
    [InlineData("tiny-mpnet-embedder", "mpnet", ModelKind.BiEncoder, ScoreRule.Classifier, false, 384)]
    [InlineData("tiny-qwen3-embedder", "qwen3", ModelKind.BiEncoder, ScoreRule.Classifier, true, 32768)]
    [InlineData("tiny-qwen3-reranker", "qwen3", ModelKind.CrossEncoder, ScoreRule.YesNoLastToken, true, 8192)]
    public void KindRuleAndPaddingSide(string fixture, string modelType, ModelKind kind, ScoreRule rule, bool padsLeft, int maxLength)
    {
        var folder = ModelFolder.Open(SharedData.Fixture(fixture));
        Assert.Equal(modelType, folder.Family.ModelType);
        Assert.Equal(kind, folder.Kind);
        Assert.Equal(rule, folder.ScoreRule);
        Assert.Equal(padsLeft, folder.PadsLeft);
        Assert.Equal(maxLength, folder.MaxLength);
        Assert.False(folder.Family.Native);
    }

    [Fact]
    public void MpnetCountsPositionsFromPadPlusOne()
    {
        // max_position_embeddings 514 less the two RoBERTa-style offsets.
        Assert.Equal(512, ModelFolder.Open(SharedData.Fixture("tiny-mpnet-embedder")).PositionLimit);
    }

    [Fact]
    public void NliLabelsComeFromId2Label()
    {
        var folder = ModelFolder.Open(SharedData.Fixture("tiny-distilbert-nli"));
        Assert.Equal(["contradiction", "entailment", "neutral"], folder.Labels);
        Assert.Equal(ScoreActivation.Identity, folder.DefaultActivation);
        Assert.Equal(ScoreActivation.Sigmoid, ModelFolder.Open(SharedData.Fixture("tiny-electra-reranker")).DefaultActivation);
    }

    [Fact]
    public void AutoMapInTokenizerConfigIsRefusedToo()
    {
        using var dir = new ScratchFolder();
        dir.Write("config.json", """{"model_type":"bert","architectures":["BertForSequenceClassification"]}""");
        string tokenizerConfig = dir.Write("tokenizer_config.json", """{"auto_map":{"AutoTokenizer":["tok.MyTokenizer",null]}}""");
        var e = Assert.Throws<ModelLoadException>(() => ModelFolder.Open(dir.Path));
        Assert.StartsWith($"{tokenizerConfig} has auto_map", e.Message);
    }

    [Fact]
    public void CausalLmOfAnEncoderFamilyIsNotAReranker()
    {
        using var dir = new ScratchFolder();
        dir.Write("config.json", """{"model_type":"bert","architectures":["BertLMHeadModel"]}""");
        Assert.Contains("unknown architecture BertLMHeadModel", Assert.Throws<ModelLoadException>(() => ModelFolder.Open(dir.Path)).Message);
    }
}
