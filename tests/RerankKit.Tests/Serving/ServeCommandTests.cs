using System.Diagnostics;
using System.Net.Http.Json;
using RerankKit.Tests.Cli;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Serving;

/// <summary><c>rerankkit serve</c> run as a user runs it: the built apphost, stopped with SIGTERM.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_answers_on_the_port_it_prints_and_exits_cleanly_on_sigterm()
    {
        using var serve = await ServeProcess.StartAsync("--model", SharedData.Fixture("tiny-bert-reranker"), "--no-batching");
        using var client = new HttpClient { BaseAddress = serve.Address };
        var results = await TestServer.JsonAsync(await client.PostAsJsonAsync("/rerank", new { query = "capital of France", texts = new[] { "Paris", "Rome" } }));
        Assert.Equal(2, results.AsArray().Count);
        Assert.False((bool)(await TestServer.JsonAsync(await client.GetAsync("/info")))["cross_request_batching"]!);

        using (var kill = Process.Start("kill", ["-TERM", serve.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await serve.Process.WaitForExitAsync(exited.Token);
        Assert.Equal(0, serve.Process.ExitCode);
    }

    [Theory]
    [InlineData("--port", "70000", "--port")]
    [InlineData("--max-documents", "0", "--max-documents")]
    public void Bad_options_are_one_line_errors(string option, string value, string named)
    {
        var result = CliProcess.Run("serve", "--model", SharedData.Fixture("tiny-bert-reranker"), option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void A_missing_model_is_a_one_line_error()
    {
        var result = CliProcess.Run("serve", "--model", "/nonexistent/model-folder");
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }
}
