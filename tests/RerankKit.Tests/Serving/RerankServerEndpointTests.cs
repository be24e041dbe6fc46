using System.Text.Json.Nodes;
using RerankKit.Tests.Batching;

using RerankKit.Cli.Commands;

namespace RerankKit.Tests.Serving;

/// <summary>Every endpoint through Kestrel on loopback, against fakes whose outputs are computed by hand.</summary>
public sealed class RerankServerEndpointTests(TestServerFixture fixture) : IClassFixture<TestServerFixture>
{
    private TestServer S => fixture.Server;

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    private static readonly string[] Texts = ["a small red car", "red car red car for sale", "a blue bike", "a car"];

    [Fact]
    public async Task Tei_rerank_returns_sigmoid_scores_best_first()
    {
        var results = (await TestServer.JsonAsync(await S.PostAsync("/rerank", new { query = "red car", texts = Texts }))).AsArray();

        var expected = Texts.Select((t, i) => (Index: i, Score: Sigmoid(FakeCrossEncoder.Logit("red car", t))))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Index).ToArray();
        Assert.Equal(expected.Select(x => x.Index), results.Select(r => (int)r!["index"]!));
        Assert.Equal(expected.Select(x => x.Score), results.Select(r => (float)r!["score"]!));
        Assert.All(results, r => Assert.Null(r!["text"]));
    }

    [Fact]
    public async Task Tei_rerank_gives_raw_scores_and_text_on_request()
    {
        var body = new { query = "red car", texts = Texts, raw_scores = true, return_text = true, truncate = true };
        var results = (await TestServer.JsonAsync(await S.PostAsync("/rerank", body))).AsArray();

        foreach (var r in results)
        {
            int index = (int)r!["index"]!;
            Assert.Equal(Texts[index], (string)r["text"]!);
            Assert.Equal(FakeCrossEncoder.Logit("red car", Texts[index]), (float)r["score"]!);
        }
    }

    [Fact]
    public async Task Cohere_rerank_takes_strings_and_objects_and_keeps_top_n()
    {
        var body = new JsonObject
        {
            ["model"] = "anything",
            ["query"] = "red car",
            ["documents"] = new JsonArray("a blue bike", new JsonObject { ["text"] = "a small red car" }, "a car"),
            ["top_n"] = 2,
            ["return_documents"] = true,
        };
        var response = await TestServer.JsonAsync(await S.PostAsync("/v1/rerank", body));

        string[] docs = ["a blue bike", "a small red car", "a car"];
        var expected = docs.Select((d, i) => (Index: i, Score: Sigmoid(FakeCrossEncoder.Logit("red car", d))))
            .OrderByDescending(x => x.Score).Take(2).ToArray();
        var results = response["results"]!.AsArray();
        Assert.Equal(expected.Select(x => x.Index), results.Select(r => (int)r!["index"]!));
        Assert.Equal(expected.Select(x => x.Score), results.Select(r => (float)r!["relevance_score"]!));
        Assert.Equal(expected.Select(x => docs[x.Index]), results.Select(r => (string)r!["document"]!["text"]!));
        Assert.True(Guid.TryParse((string)response["id"]!, out _));
        Assert.Equal("2", (string)response["meta"]!["api_version"]!["version"]!);
        Assert.Equal("fake-reranker", (string)response["model"]!);
    }

    [Fact]
    public async Task Cohere_rerank_leaves_documents_out_by_default()
    {
        var response = await TestServer.JsonAsync(await S.PostAsync("/v1/rerank", new { query = "q", documents = new[] { "x", "y" } }));
        Assert.Equal(2, response["results"]!.AsArray().Count);
        Assert.All(response["results"]!.AsArray(), r => Assert.Null(r!["document"]));
    }

    [Fact]
    public async Task Tei_embed_normalizes_by_default_and_takes_one_string_or_many()
    {
        var many = (await TestServer.JsonAsync(await S.PostAsync("/embed", new { inputs = new[] { "hello world", "abc" } }))).AsArray();
        var one = (await TestServer.JsonAsync(await S.PostAsync("/embed", new { inputs = "hello world", normalize = false }))).AsArray();

        Assert.Equal(FakeBiEncoder.Normalize(FakeBiEncoder.Raw("hello world")), many[0]!.AsArray().Select(x => (float)x!));
        Assert.Equal(FakeBiEncoder.Normalize(FakeBiEncoder.Raw("abc")), many[1]!.AsArray().Select(x => (float)x!));
        Assert.Equal(FakeBiEncoder.Raw("hello world"), Assert.Single(one)!.AsArray().Select(x => (float)x!));
    }

    [Fact]
    public async Task OpenAi_embeddings_come_as_floats_or_base64_with_usage()
    {
        var floats = await TestServer.JsonAsync(await S.PostAsync("/v1/embeddings", new { input = new[] { "one two", "three" }, model = "m" }));
        var base64 = await TestServer.JsonAsync(await S.PostAsync("/v1/embeddings", new { input = "one two", encoding_format = "base64" }));

        Assert.Equal("list", (string)floats["object"]!);
        var data = floats["data"]!.AsArray();
        Assert.Equal([0, 1], data.Select(d => (int)d!["index"]!));
        Assert.Equal("embedding", (string)data[0]!["object"]!);
        float[] expected = FakeBiEncoder.Normalize(FakeBiEncoder.Raw("one two"));
        Assert.Equal(expected, data[0]!["embedding"]!.AsArray().Select(x => (float)x!));
        byte[] bytes = Convert.FromBase64String((string)base64["data"]![0]!["embedding"]!);
        Assert.Equal(expected, Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, i * 4)));
        // [CLS] one two [SEP] and [CLS] three [SEP]
        Assert.Equal(7, (int)floats["usage"]!["prompt_tokens"]!);
        Assert.Equal("fake-embedder", (string)floats["model"]!);
    }

    [Fact]
    public async Task Tokenize_lists_tokens_and_marks_the_special_ones()
    {
        var tokens = (await TestServer.JsonAsync(await S.PostAsync("/tokenize", new { inputs = "hello big world" }))).AsArray();
        var bare = (await TestServer.JsonAsync(await S.PostAsync("/tokenize", new { inputs = new[] { "hi" }, add_special_tokens = false }))).AsArray();

        var list = Assert.Single(tokens)!.AsArray();
        Assert.Equal(["[CLS]", "hello", "big", "world", "[SEP]"], list.Select(t => (string)t!["text"]!));
        Assert.Equal([101, 1005, 1003, 1005, 102], list.Select(t => (int)t!["id"]!));
        Assert.Equal([true, false, false, false, true], list.Select(t => (bool)t!["special"]!));
        Assert.Equal(["hi"], Assert.Single(bare)!.AsArray().Select(t => (string)t!["text"]!));
    }

    [Fact]
    public async Task Health_and_info_describe_the_server()
    {
        var health = await TestServer.JsonAsync(await S.Client.GetAsync("/health"));
        var info = await TestServer.JsonAsync(await S.Client.GetAsync("/info"));

        Assert.Equal("ok", (string)health["status"]!);
        Assert.Equal("fake-reranker", (string)info["model_id"]!);
        Assert.Equal("fake-embedder", (string)info["embed_model_id"]!);
        Assert.Equal(5, (int)info["max_client_batch_size"]!);
        Assert.True((bool)info["cross_request_batching"]!);
    }

    [Fact]
    public async Task Metrics_count_requests_batches_and_cache_hits()
    {
        var body = new { query = "metrics query", texts = new[] { "metrics doc one", "metrics doc two" } };
        await TestServer.JsonAsync(await S.PostAsync("/rerank", body));
        await TestServer.JsonAsync(await S.PostAsync("/rerank", body));

        string metrics = await S.Client.GetStringAsync("/metrics");
        // OpenTelemetry's exporter adds scope labels, and the meter is process-wide, so other servers' requests count too.
        Assert.Matches(@"rerankkit_requests_total\{[^}]*endpoint=""/rerank""[^}]*status=""200""[^}]*\} [1-9]", metrics);
        Assert.Matches(@"rerankkit_request_duration_seconds_bucket\{[^}]*endpoint=""/rerank""[^}]*le=""\+Inf""[^}]*\} [1-9]", metrics);
        Assert.Matches(@"rerankkit_cache_hits_total\{[^}]*model=""fake-reranker""[^}]*\} ([2-9]|[1-9][0-9]+)\b", metrics);
        Assert.Matches(@"rerankkit_batch_pairs_count\{[^}]*model=""fake-reranker""[^}]*\} [1-9]", metrics);
        Assert.Matches(@"rerankkit_queue_pairs\{[^}]*model=""fake-reranker""[^}]*\} 0", metrics);
    }
}
