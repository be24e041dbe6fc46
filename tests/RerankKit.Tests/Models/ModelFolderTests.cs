using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Models;

public class ModelFolderTests
{
    [Fact]
    public void BertRerankerIsACrossEncoderWithTokenizerMaxLength()
    {
        var folder = ModelFolder.Open(SharedData.Fixture("tiny-bert-reranker"));
        Assert.Equal(ModelKind.CrossEncoder, folder.Kind);
        Assert.Equal(512, folder.MaxLength);
        Assert.Equal(512, folder.PositionLimit);
        Assert.Equal(ScoreActivation.Identity, folder.DefaultActivation);
    }

    [Fact]
    public void XlmrPositionsAreCappedTwoBelowMaxPositionEmbeddings()
    {
        var folder = ModelFolder.Open(SharedData.Fixture("tiny-xlmr-reranker"));
        Assert.Equal(ModelKind.CrossEncoder, folder.Kind);
        Assert.Equal(514 - 2, folder.PositionLimit);
        Assert.Equal(512, folder.MaxLength);
        // No activation key and one label: sentence-transformers' default is sigmoid.
        Assert.Equal(ScoreActivation.Sigmoid, folder.DefaultActivation);
    }

    [Fact]
    public void EmbedderUsesSentenceBertMaxSeqLengthMeanPoolingAndNormalize()
    {
        var folder = ModelFolder.Open(SharedData.Fixture("tiny-bert-embedder"));
        Assert.Equal(ModelKind.BiEncoder, folder.Kind);
        Assert.Equal(256, folder.MaxLength);
        Assert.Equal(PoolingMode.Mean, folder.Pooling);
        Assert.True(folder.Normalize);
    }

    [Fact]
    public void RealConfigFoldersWithoutWeightsStillOpen()
    {
        var reranker = ModelFolder.Open(SharedData.Model("ms-marco-MiniLM-L6-v2"));
        Assert.Equal(ModelKind.CrossEncoder, reranker.Kind);
        Assert.Equal(ScoreActivation.Identity, reranker.DefaultActivation);
        Assert.Equal(384, reranker.Config.HiddenSize);
        var embedder = ModelFolder.Open(SharedData.Model("all-MiniLM-L6-v2"));
        Assert.Equal(ModelKind.BiEncoder, embedder.Kind);
        Assert.Equal(256, embedder.MaxLength);
        Assert.True(embedder.Normalize);
    }

    [Fact]
    public void MaxLengthOverrideIsUsedAndCheckedAgainstPositions()
    {
        Assert.Equal(128, ModelFolder.Open(SharedData.Fixture("tiny-bert-reranker"), 128).MaxLength);
        var e = Assert.Throws<ArgumentException>(() => ModelFolder.Open(SharedData.Fixture("tiny-xlmr-reranker"), 513));
        Assert.Contains("512", e.Message);
    }

    [Fact]
    public void TokenizerMaxLengthIsCappedByPositions()
    {
        using var dir = new ScratchFolder();
        dir.Write("config.json", """{"model_type":"bert","architectures":["BertForSequenceClassification"],"max_position_embeddings":128}""");
        dir.Write("tokenizer_config.json", """{"model_max_length": 1000000000000000019884624838656}""");
        Assert.Equal(128, ModelFolder.Open(dir.Path).MaxLength);
        dir.Write("tokenizer_config.json", """{"model_max_length": 64}""");
        Assert.Equal(64, ModelFolder.Open(dir.Path).MaxLength);
    }

    [Fact]
    public void UnknownArchitectureIsNamed()
    {
        using var dir = new ScratchFolder();
        dir.Write("config.json", """{"model_type":"gpt2","architectures":["GPT2LMHeadModel"]}""");
        var e = Assert.Throws<ModelLoadException>(() => ModelFolder.Open(dir.Path));
        Assert.Contains("GPT2LMHeadModel", e.Message);
    }

    [Fact]
    public void MissingFolderAndMissingConfigSaySo()
    {
        Assert.Contains("not found", Assert.Throws<ModelLoadException>(() => ModelFolder.Open("/no/such/model")).Message);
        using var dir = new ScratchFolder();
        Assert.Contains("config.json", Assert.Throws<ModelLoadException>(() => ModelFolder.Open(dir.Path)).Message);
    }

    [Theory]
    [InlineData("pooling_mode_cls_token", PoolingMode.Cls)]
    [InlineData("pooling_mode_mean_tokens", PoolingMode.Mean)]
    [InlineData("pooling_mode_max_tokens", PoolingMode.Max)]
    public void PoolingComesFromThePoolingModuleNamedInModulesJson(string flag, PoolingMode expected)
    {
        using var dir = BiEncoderFolder($$"""{"{{flag}}": true}""", normalize: false);
        var folder = ModelFolder.Open(dir.Path);
        Assert.Equal(expected, folder.Pooling);
        Assert.False(folder.Normalize);
    }

    [Fact]
    public void UnsupportedPoolingAndModulesAreNamed()
    {
        using (var dir = BiEncoderFolder("""{"pooling_mode_weightedmean_tokens": true}""", normalize: true))
            Assert.Contains("pooling_mode_weightedmean_tokens", Assert.Throws<ModelLoadException>(() => ModelFolder.Open(dir.Path)).Message);
        using var dense = BiEncoderFolder("""{"pooling_mode_mean_tokens": true}""", normalize: false);
        dense.Write("modules.json", """[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},{"idx":1,"name":"1","path":"2_Dense","type":"sentence_transformers.models.Dense"}]""");
        Assert.Contains("sentence_transformers.models.Dense", Assert.Throws<ModelLoadException>(() => ModelFolder.Open(dense.Path)).Message);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("1_Pool/../../outside")]
    [InlineData("ABSOLUTE")]
    [InlineData("LINK")]
    public void ModulePathsThatLeaveTheModelFolderAreRefused(string modulePath)
    {
        using var scratch = new ScratchFolder();
        string outside = scratch.Write("outside/config.json", "SECRET");
        using var dir = BiEncoderFolder("""{"pooling_mode_mean_tokens": true}""", normalize: false);
        if (modulePath == "LINK")
        {
            Directory.CreateSymbolicLink(Path.Combine(dir.Path, "linked"), Path.GetDirectoryName(outside)!);
            modulePath = "linked";
        }
        else if (modulePath == "ABSOLUTE")
        {
            modulePath = Path.GetDirectoryName(outside)!;
        }
        else
        {
            // ScratchFolder paths are siblings, so "../outside" from the model folder needs the scratch's own name.
            modulePath = modulePath.Replace("outside", $"{Path.GetFileName(scratch.Path)}/outside", StringComparison.Ordinal);
        }
        dir.Write("modules.json", $$"""[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},{"idx":1,"name":"1","path":"{{modulePath}}","type":"sentence_transformers.models.Pooling"}]""");

        var e = Assert.Throws<ModelLoadException>(() => ModelFolder.Open(dir.Path));

        Assert.Contains("outside the model folder", e.Message);
        Assert.DoesNotContain("'S'", e.Message);
    }

    private static ScratchFolder BiEncoderFolder(string poolingJson, bool normalize)
    {
        var dir = new ScratchFolder();
        dir.Write("config.json", """{"model_type":"bert","architectures":["BertModel"],"hidden_size":32}""");
        string modules = """[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},{"idx":1,"name":"1","path":"1_Pool","type":"sentence_transformers.models.Pooling"}""";
        if (normalize)
            modules += """,{"idx":2,"name":"2","path":"2_Normalize","type":"sentence_transformers.models.Normalize"}""";
        dir.Write("modules.json", modules + "]");
        dir.Write("1_Pool/config.json", poolingJson);
        return dir;
    }
}
