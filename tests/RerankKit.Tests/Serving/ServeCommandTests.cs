using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using RerankKit.Tests.Cli;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Serving;

/// <summary><c>rerankkit serve</c> run as a user runs it: the built apphost, stopped with SIGTERM.</summary>
public sealed partial class ServeCommandTests
{
    [Fact]
    public async Task Serve_answers_on_the_port_it_prints_and_exits_cleanly_on_sigterm()
    {
        string exe = Path.Combine(AppContext.BaseDirectory, "RerankKit.Cli");
        var start = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "serve", "--model", SharedData.Fixture("tiny-bert-reranker"), "--port", "0", "--no-batching" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        try
        {
            _ = process.StandardOutput.ReadToEndAsync();
            Uri? address = null;
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (address is null && DateTime.UtcNow < deadline && await process.StandardError.ReadLineAsync() is { } line)
            {
                if (ServingLine().Match(line) is { Success: true } m)
                    address = new Uri(m.Groups[1].Value);
            }
            Assert.NotNull(address);
            _ = process.StandardError.ReadToEndAsync();
            using var client = new HttpClient { BaseAddress = address };
            var results = await TestServer.JsonAsync(await client.PostAsJsonAsync("/rerank", new { query = "capital of France", texts = new[] { "Paris", "Rome" } }));
            Assert.Equal(2, results.AsArray().Count);
            Assert.False((bool)(await TestServer.JsonAsync(await client.GetAsync("/info")))["cross_request_batching"]!);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exited.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
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

    [GeneratedRegex(@"^Serving .* on (http://\S+) ")]
    private static partial Regex ServingLine();
}
