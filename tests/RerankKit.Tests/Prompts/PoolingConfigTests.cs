using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Prompts;

public class PoolingConfigTests
{
    [Fact]
    public void SentenceTransformers5PoolingModeKeyIsRead()
    {
        // bge-small-en-v1.5 as sentence-transformers 5 saves it: "pooling_mode": "cls", "include_prompt": true.
        string bgePooling = File.ReadAllText(SharedData.Get(Path.Combine("incoming", "bge-small-en-v1.5", "1_Pooling", "config.json")));
        using var fixture = new PromptFixture("{}", bgePooling);
        var folder = ModelFolder.Open(fixture.Path);
        Assert.Equal(PoolingMode.Cls, folder.Pooling);
        Assert.True(folder.IncludePrompt);
    }

    [Fact]
    public void TheBgeFolderItselfOpensWithClsPoolingAndEmptyPrompts()
    {
        var folder = ModelFolder.Open(SharedData.Get(Path.Combine("incoming", "bge-small-en-v1.5")));
        Assert.Equal(PoolingMode.Cls, folder.Pooling);
        Assert.Equal("", folder.PromptConfig.Prompts["query"]);
        Assert.Null(folder.PromptConfig.DefaultPromptName);
    }

    [Theory]
    [InlineData("mean", PoolingMode.Mean)]
    [InlineData("max", PoolingMode.Max)]
    [InlineData("cls", PoolingMode.Cls)]
    public void EachSupportedPoolingModeNameIsRead(string name, PoolingMode expected)
    {
        using var fixture = new PromptFixture("{}", $$"""{ "embedding_dimension": 32, "pooling_mode": "{{name}}" }""");
        Assert.Equal(expected, ModelFolder.Open(fixture.Path).Pooling);
    }

    [Fact]
    public void AnUnsupportedPoolingModeNameIsRefused()
    {
        using var fixture = new PromptFixture("{}", """{ "embedding_dimension": 32, "pooling_mode": "weightedmean" }""");
        var e = Assert.Throws<ModelLoadException>(() => ModelFolder.Open(fixture.Path));
        Assert.Contains("weightedmean", e.Message);
    }

    [Fact]
    public void OldFlagsStillRead()
    {
        using var fixture = new PromptFixture("{}", """{ "word_embedding_dimension": 32, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false }""");
        Assert.Equal(PoolingMode.Cls, ModelFolder.Open(fixture.Path).Pooling);
    }
}
