using Microsoft.Extensions.AI;
using RerankKit.Inference;
using RerankKit.Models;

namespace RerankKit.Tests.Prompts;

public class BiEncoderPromptTests
{
    private const string QueryAndPassage = """
        { "prompts": { "query": "query: ", "passage": "passage: ", "corpus": "corpus: " }, "default_prompt_name": null }
        """;

    private static readonly string[] Texts = ["the cat sat on the mat", "a much longer sentence about dogs and their owners"];

    [Fact]
    public void EncodeQueryEqualsEncodeOfTheQueryPromptPlusText()
    {
        using var fixture = new PromptFixture(QueryAndPassage);
        using var model = fixture.Load();
        Assert.Equal(model.Encode(Texts.Select(t => "query: " + t).ToArray()), model.EncodeQuery(Texts));
        Assert.Equal(model.EncodeQuery(Texts), model.Encode(Texts, new EncodeOptions { PromptName = "query" }));
        Assert.NotEqual(model.Encode(Texts), model.EncodeQuery(Texts));
    }

    [Fact]
    public async Task EmbeddingGenerationOptionsCarryAPromptNameOrAPrompt()
    {
        using var fixture = new PromptFixture(QueryAndPassage);
        using var model = fixture.Load();
        IEmbeddingGenerator<string, Embedding<float>> generator = model;
        var named = await generator.GenerateAsync(Texts, new EmbeddingGenerationOptions
        {
            AdditionalProperties = new() { [BiEncoder.PromptNameProperty] = "query" },
        });
        Assert.Equal(model.EncodeQuery(Texts)[1], named[1].Vector.ToArray());
        var literal = await generator.GenerateAsync(Texts, new EmbeddingGenerationOptions
        {
            AdditionalProperties = new() { [BiEncoder.PromptProperty] = "passage: " },
        });
        Assert.Equal(model.EncodeDocument(Texts)[0], literal[0].Vector.ToArray());
        var plain = await generator.GenerateAsync(Texts);
        Assert.Equal(model.Encode(Texts)[0], plain[0].Vector.ToArray());
    }

    [Fact]
    public void EncodeDocumentPrefersDocumentThenPassageThenCorpus()
    {
        using var fixture = new PromptFixture(QueryAndPassage);
        using var model = fixture.Load();
        Assert.Equal(model.Encode(Texts.Select(t => "passage: " + t).ToArray()), model.EncodeDocument(Texts));

        using var withDocument = new PromptFixture("""{ "prompts": { "corpus": "corpus: ", "document": "doc: ", "passage": "passage: " } }""");
        using var second = withDocument.Load();
        Assert.Equal(second.Encode(Texts.Select(t => "doc: " + t).ToArray()), second.EncodeDocument(Texts));
    }

    [Fact]
    public void DocumentsGoWithoutPromptWhenTheModelHasNone()
    {
        using var fixture = new PromptFixture("""{ "prompts": { "query": "Represent this sentence for searching relevant passages: " } }""");
        using var model = fixture.Load();
        Assert.Equal(model.Encode(Texts), model.EncodeDocument(Texts));
        Assert.Equal(model.Encode(Texts.Select(t => "Represent this sentence for searching relevant passages: " + t).ToArray()),
            model.EncodeQuery(Texts));
    }

    [Fact]
    public void PromptWinsOverPromptNameAndDefaultPromptNameAppliesToPlainEncode()
    {
        using var fixture = new PromptFixture("""{ "prompts": { "query": "query: ", "classification": "classify: " }, "default_prompt_name": "classification" }""");
        using var model = fixture.Load();
        var explicitText = model.Encode(Texts.Select(t => "custom: " + t).ToArray(), new EncodeOptions { Prompt = "" });
        Assert.Equal(explicitText, model.Encode(Texts, new EncodeOptions { Prompt = "custom: ", PromptName = "query" }));
        Assert.Equal(model.Encode(Texts.Select(t => "classify: " + t).ToArray(), new EncodeOptions { Prompt = "" }), model.Encode(Texts));
        Assert.Equal(model.Encode(Texts.Select(t => "query: " + t).ToArray(), new EncodeOptions { Prompt = "" }), model.EncodeQuery(Texts));
    }

    [Fact]
    public void AnUnknownPromptNameIsRefusedNamingTheKnownOnes()
    {
        using var fixture = new PromptFixture(QueryAndPassage);
        using var model = fixture.Load();
        var e = Assert.Throws<UnknownPromptException>(() => model.Encode(Texts, new EncodeOptions { PromptName = "qeury" }));
        Assert.Contains("qeury", e.Message);
        Assert.Contains("query, passage, corpus", e.Message);
    }

    [Fact]
    public void PromptTokensCountTowardMaxLength()
    {
        using var fixture = new PromptFixture(QueryAndPassage);
        using var model = fixture.Load();
        string longText = string.Join(' ', Enumerable.Repeat("word", 400));
        Assert.Equal(model.Encode(["query: " + longText]), model.EncodeQuery([longText]));
        Assert.Equal(model.MaxLength, model.Tokenize("query: " + longText).Length);
    }

    [Fact]
    public void IncludePromptFalseLeavesThePromptTokensOutOfMeanPooling()
    {
        using var fixture = new PromptFixture(QueryAndPassage, """
            { "word_embedding_dimension": 32, "pooling_mode_mean_tokens": true, "include_prompt": false }
            """);
        using var model = fixture.Load();
        Assert.False(model.Folder.IncludePrompt);
        const string text = "the cat sat on the mat";
        float[] pooled = model.EncodeQuery([text], new EncodeOptions { NormalizeEmbeddings = false })[0];

        // By hand: the hidden states of "query: " + text, averaged from the first token after [CLS] and the prompt.
        var input = model.Tokenize("query: " + text);
        int promptLength = model.Tokenize("query: ").Length - 1;
        Assert.True(promptLength > 1);
        var batch = TokenBatch.Pad([input.InputIds], [input.TokenTypeIds], 0);
        using var backend = OnnxBackendFactory.Instance.Create(ModelFolder.Open(fixture.Path), new BackendSettings { Threads = 1 });
        float[] hidden = backend.RunHiddenStates(batch, CancellationToken.None);
        int dim = model.Dimension;
        var expected = new float[dim];
        for (int t = promptLength; t < input.Length; t++)
            for (int d = 0; d < dim; d++)
                expected[d] += hidden[t * dim + d];
        for (int d = 0; d < dim; d++)
            expected[d] /= input.Length - promptLength;
        for (int d = 0; d < dim; d++)
            Assert.Equal(expected[d], pooled[d], 1e-5f);

        using var included = new PromptFixture(QueryAndPassage);
        using var withPrompt = included.Load();
        Assert.NotEqual(withPrompt.EncodeQuery([text], new EncodeOptions { NormalizeEmbeddings = false })[0], pooled);
    }
}
