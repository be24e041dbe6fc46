using System.Globalization;
using System.Text.RegularExpressions;
using RerankKit.Listwise;
using static RerankKit.Tests.Listwise.ScriptedChatServer;

namespace RerankKit.Tests.Listwise;

/// <summary><see cref="LlmReranker"/> over <see cref="OpenAICompatibleChatClient"/> against a scripted server on
/// loopback: the orders are worked out by hand or from an oracle the server ranks by, never read back from the
/// reranker.</summary>
public sealed partial class LlmRerankerTests
{
    private static readonly LlmRerankerOptions Fast = new() { ModelId = "scripted-model", RetryDelay = TimeSpan.FromMilliseconds(1), RequestTimeout = TimeSpan.FromSeconds(20) };

    private static LlmReranker Reranker(ScriptedChatServer server, LlmRerankerOptions? options = null, string? apiKey = null) =>
        LlmReranker.ForEndpoint(server.Endpoint, "scripted-model", apiKey, options ?? Fast);

    private static string[] Docs(int n) => Enumerable.Range(0, n).Select(i => $"d{i}").ToArray();

    [Fact]
    public async Task ASingleWindowTakesTheModelsPermutationWithReciprocalRankScoresAndItsTokens()
    {
        await using var server = await StartAsync(Answering("[3] > [1] > [2]", promptTokens: 321, completionTokens: 12));
        using var reranker = Reranker(server);

        var result = await reranker.RerankAsync("q", ["a", "b", "c"]);

        Assert.Equal([2, 0, 1], result.Ranking.Select(r => r.Index));
        Assert.Equal(["c", "a", "b"], result.Ranking.Select(r => r.Document));
        Assert.Equal([1f, 0.5f, 1f / 3], result.Ranking.Select(r => r.Score));
        Assert.Equal(new LlmUsage { Windows = 1, PromptTokens = 321, CompletionTokens = 12 }, result.Usage);
        var request = Assert.Single(server.Requests);
        Assert.Equal(["a", "b", "c"], request.Passages);
        Assert.Equal("scripted-model", request.Body.GetProperty("model").GetString());
        Assert.Equal(0, request.Body.GetProperty("temperature").GetDouble());
        Assert.Null(request.Authorization);
    }

    [Fact]
    public async Task WindowsSlideFromTheBackToTheFrontEachReorderingTheRunningList()
    {
        // 7 documents, window 4, step 2: positions [3,7), then [1,5), then [0,3); the model reverses every window.
        //   [0 1 2 3 4 5 6] -> [0 1 2 | 6 5 4 3] -> [0 | 5 6 2 1 | 4 3] -> [6 5 0 | 2 1 4 3]
        await using var server = await StartAsync();
        server.Fallback = Reversing();
        using var reranker = Reranker(server, Fast with { WindowSize = 4, Step = 2 });

        var result = await reranker.RerankAsync("q", Docs(7));

        Assert.Equal([6, 5, 0, 2, 1, 4, 3], result.Ranking.Select(r => r.Index));
        Assert.Equal(
            [["d3", "d4", "d5", "d6"], ["d1", "d2", "d6", "d5"], ["d0", "d5", "d6"]],
            server.Requests.Select(r => r.Passages.ToArray()));
        Assert.Equal(3, result.Usage.Windows);
        Assert.Equal(300, result.Usage.PromptTokens);
        Assert.Equal(30, result.Usage.CompletionTokens);
    }

    [Fact]
    public async Task WithAPerfectModelTheTopWindowMinusStepDocumentsEndOnTopInOrder()
    {
        // An oracle that sorts each window by a hidden relevance: one back-to-front pass carries the best
        // size - step documents of the whole list to the top (each window hands its first size - step on).
        var random = new Random(11);
        var relevance = Enumerable.Range(0, 43).OrderBy(_ => random.Next()).ToArray();
        var documents = relevance.Select((r, i) => $"doc {i} relevance {r}").ToArray();
        await using var server = await StartAsync();
        server.Fallback = Answering(request => string.Join(" > ", request.Passages
            .Select((text, i) => (Id: i + 1, Relevance: RelevanceOf(text)))
            .OrderByDescending(p => p.Relevance)
            .Select(p => $"[{p.Id}]")));
        using var reranker = Reranker(server, Fast with { WindowSize = 10, Step = 4 });

        var result = await reranker.RerankAsync("q", documents);

        var best = Enumerable.Range(0, 43).OrderByDescending(i => relevance[i]).Take(6);
        Assert.Equal(best, result.Ranking.Take(6).Select(r => r.Index));
        Assert.Equal(Enumerable.Range(0, 43), result.Ranking.Select(r => r.Index).Order());
        Assert.Equal(SlidingWindows.Plan(43, 10, 4).Count, server.Requests.Count);
        // The first window sent is the first stage's tail; the last is the head, positions [0, 7) (ends 43, 39, ..., 7).
        Assert.Equal(documents[^10..], server.Requests.First().Passages);
        Assert.Equal(7, server.Requests.Last().Passages.Count);
    }

    private static int RelevanceOf(string passage) =>
        int.Parse(Relevance().Match(passage).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"relevance (\d+)")]
    private static partial Regex Relevance();

    [Theory]
    [InlineData("Here is my ranking of the 4 passages:\n[4] > [2] > [3] > [1]\nI hope this helps!", new[] { 3, 1, 2, 0 }, false)]
    [InlineData("[4] > [4] > [2] > [2] > [3] > [1]", new[] { 3, 1, 2, 0 }, true)]
    [InlineData("[3] > [1]", new[] { 2, 0, 1, 3 }, true)]
    [InlineData("[9] > [2] > [0] > [4]", new[] { 1, 3, 0, 2 }, true)]
    [InlineData("", new[] { 0, 1, 2, 3 }, true)]
    public async Task AMalformedAnswerIsRepairedAndNoDocumentIsLost(string answer, int[] expected, bool repaired)
    {
        await using var server = await StartAsync(Answering(answer));
        using var reranker = Reranker(server);

        var result = await reranker.RerankAsync("q", Docs(4));

        Assert.Equal(expected, result.Ranking.Select(r => r.Index));
        Assert.Equal(repaired ? 1 : 0, result.Usage.RepairedWindows);
    }

    [Fact]
    public async Task ANullContentIsAnEmptyAnswer()
    {
        await using var server = await StartAsync(Answering(_ => null));
        using var reranker = Reranker(server);
        Assert.Equal([0, 1, 2], (await reranker.RankAsync("q", Docs(3))).Select(r => r.Index));
    }

    [Fact]
    public async Task ServerErrorsAndRateLimitsAreRetriedUntilAnAnswerComes()
    {
        await using var server = await StartAsync(new Step(Status: 500), new Step(Status: 429), new Step(Status: 503), Answering("[2] > [1]"));
        using var reranker = Reranker(server);

        var result = await reranker.RerankAsync("q", Docs(2));

        Assert.Equal([1, 0], result.Ranking.Select(r => r.Index));
        Assert.Equal(3, result.Usage.Retries);
        Assert.Equal(4, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal(["d0", "d1"], r.Passages));
    }

    [Fact]
    public async Task ARetryAfterHeaderIsWaitedFor()
    {
        await using var server = await StartAsync(new Step(Status: 429, RetryAfter: "1"), Answering("[2] > [1]"));
        using var reranker = Reranker(server, Fast with { RetryDelay = TimeSpan.FromMilliseconds(1) });

        await reranker.RerankAsync("q", Docs(2));

        var times = server.Requests.Select(r => r.At).ToArray();
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(0.95), $"retried after {(times[1] - times[0]).TotalSeconds:0.000} s");
    }

    [Fact]
    public async Task AfterTheLastRetryTheFailureIsOneLineNamingTheLastError()
    {
        await using var server = await StartAsync();
        server.Fallback = new Step(Status: 502);
        using var reranker = Reranker(server, Fast with { MaxRetries = 2 });

        var error = await Assert.ThrowsAsync<LlmRerankException>(() => reranker.RerankAsync("q", Docs(3)));

        Assert.Equal(3, server.Requests.Count);
        Assert.Contains("failed 3 time(s)", error.Message);
        Assert.Contains("HTTP 502", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    public async Task ARefusedRequestIsNotRetried(int status)
    {
        await using var server = await StartAsync(new Step(Status: status));
        using var reranker = Reranker(server);

        var error = await Assert.ThrowsAsync<LlmRerankException>(() => reranker.RerankAsync("q", Docs(3)));

        Assert.Single(server.Requests);
        Assert.Contains($"HTTP {status}", error.Message);
    }

    [Fact]
    public async Task ABodyThatIsNotAChatCompletionFailsWithoutRetry()
    {
        await using var server = await StartAsync(new Step(RawBody: "<html>gateway</html>"));
        using var reranker = Reranker(server);

        var error = await Assert.ThrowsAsync<LlmRerankException>(() => reranker.RerankAsync("q", Docs(3)));

        Assert.Single(server.Requests);
        Assert.Contains("<html>gateway</html>", error.Message);
    }

    [Fact]
    public async Task AHangingRequestTimesOutAndIsRetried()
    {
        await using var server = await StartAsync(new Step(Hang: true), Answering("[2] > [1]"));
        using var reranker = Reranker(server, Fast with { RequestTimeout = TimeSpan.FromMilliseconds(300) });

        var result = await reranker.RerankAsync("q", Docs(2));

        Assert.Equal([1, 0], result.Ranking.Select(r => r.Index));
        Assert.Equal(1, result.Usage.Retries);
    }

    [Fact]
    public async Task AServerThatNeverAnswersFailsAfterTheRetriesNamingTheTimeout()
    {
        await using var server = await StartAsync();
        server.Fallback = new Step(Hang: true);
        using var reranker = Reranker(server, Fast with { RequestTimeout = TimeSpan.FromMilliseconds(200), MaxRetries = 1 });

        var error = await Assert.ThrowsAsync<LlmRerankException>(() => reranker.RerankAsync("q", Docs(2)));

        Assert.Equal(2, server.Requests.Count);
        Assert.Contains("no answer within 0.2 s", error.Message);
    }

    [Fact]
    public async Task CancellingDuringARequestStopsItWithoutRetrying()
    {
        await using var server = await StartAsync();
        server.Fallback = new Step(Hang: true);
        using var reranker = Reranker(server);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reranker.RerankAsync("q", Docs(2), cancellationToken: cancel.Token));

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task CancellingDuringTheWaitBeforeARetryStopsTheWait()
    {
        await using var server = await StartAsync();
        server.Fallback = new Step(Status: 500);
        using var reranker = Reranker(server, Fast with { RetryDelay = TimeSpan.FromMinutes(10), MaxRetryDelay = TimeSpan.FromMinutes(10) });
        using var cancel = new CancellationTokenSource();

        var rerank = reranker.RerankAsync("q", Docs(2), cancellationToken: cancel.Token);
        // Cancel once the first request has reached the server (its 500 then starts the 10-minute wait), not after a
        // fixed time: on a loaded machine a timer could fire before the first request was even sent.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (server.Requests.IsEmpty && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        await cancel.CancelAsync();

        // Bounded so a wait that ignores the token fails the test instead of hanging it.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rerank.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task TokensAndCostAreSummedOverWindowsAndOverCalls()
    {
        await using var server = await StartAsync();
        server.Fallback = Answering("[1] > [2]", promptTokens: 1000, completionTokens: 100);
        var options = Fast with { WindowSize = 2, Step = 1, PromptCostPer1K = 0.5m, CompletionCostPer1K = 1.5m };
        using var reranker = Reranker(server, options);

        var first = await reranker.RerankAsync("q", Docs(3));   // windows (1,3), (0,2)
        await reranker.RerankAsync("q", Docs(2));               // window (0,2)

        Assert.Equal(new LlmUsage { Windows = 2, PromptTokens = 2000, CompletionTokens = 200, Cost = 1.3m }, first.Usage);
        Assert.Equal(2200, first.Usage.TotalTokens);
        Assert.Equal(new LlmUsage { Windows = 3, PromptTokens = 3000, CompletionTokens = 300, Cost = 1.95m }, reranker.TotalUsage);
    }

    [Fact]
    public async Task AResponseWithoutUsageIsCountedSoTheTokenSumsAreNotTakenAsComplete()
    {
        await using var server = await StartAsync(new Step(Answer: _ => "[1] > [2]", WithUsage: false));
        using var reranker = Reranker(server);

        var usage = (await reranker.RerankAsync("q", Docs(2))).Usage;

        Assert.Equal(1, usage.ResponsesWithoutUsage);
        Assert.Equal(0, usage.TotalTokens);
        Assert.Null(usage.Cost);
    }

    [Fact]
    public async Task PassagesAreCutToTheMaxWordsInTheRequest()
    {
        await using var server = await StartAsync(Answering("[1] > [2]"));
        using var reranker = Reranker(server, Fast with { MaxPassageWords = 3 });

        await reranker.RerankAsync("q", ["one two  three four five", "six"]);

        Assert.Equal(["one two three", "six"], Assert.Single(server.Requests).Passages);
    }

    [Fact]
    public async Task TheApiKeyIsSentAsABearerToken()
    {
        await using var server = await StartAsync(Answering("[1] > [2]"));
        using var reranker = Reranker(server, apiKey: "sk-test");

        await reranker.RerankAsync("q", Docs(2));

        Assert.Equal("Bearer sk-test", Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task TopKCutsTheRankingAndZeroOrOneDocumentNeedsNoRequest()
    {
        await using var server = await StartAsync(Answering("[3] > [1] > [2]"));
        using var reranker = Reranker(server);

        Assert.Equal([2], (await reranker.RankAsync("q", Docs(3), topK: 1)).Select(r => r.Index));
        Assert.Empty(await reranker.RankAsync("q", []));
        Assert.Equal([0], (await reranker.RankAsync("q", Docs(1))).Select(r => r.Index));
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 5)]
    [InlineData(4, 0)]
    public void BadWindowOptionsAreRefused(int size, int step) =>
        Assert.Throws<ArgumentException>(() => LlmReranker.ForEndpoint(new Uri("http://127.0.0.1:1/v1"), "m", options: new LlmRerankerOptions { WindowSize = size, Step = step }));

    [Theory]
    [InlineData("http://127.0.0.1:8000/v1", "http://127.0.0.1:8000/v1/chat/completions")]
    [InlineData("http://127.0.0.1:8000/v1/", "http://127.0.0.1:8000/v1/chat/completions")]
    [InlineData("http://localhost:11434/v1/chat/completions", "http://localhost:11434/v1/chat/completions")]
    public void TheEndpointIsTheApiBaseOrTheFullCompletionsUrl(string endpoint, string completions)
    {
        using var client = new OpenAICompatibleChatClient(new Uri(endpoint), "m");
        Assert.Equal(completions, client.CompletionsUri.ToString());
    }
}
