using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace RerankKit.Tests.Serving;

/// <summary>One <c>rerankkit serve</c> replica: the built apphost as a child process on a given loopback port,
/// sharing scores through Redis. It can be killed with SIGKILL, as a crash or the OOM killer would.</summary>
internal sealed class ServeReplica : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();

    private ServeReplica(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri Address => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    /// <summary>Starts <c>serve</c> and returns once it prints the address it serves on. The in-process cache is
    /// off, so every cache hit it counts came from Redis.</summary>
    public static async Task<ServeReplica> StartAsync(string model, int port, string redis)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "RerankKit.Cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "serve", "--model", model, "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--redis", redis, "--cache-size", "0" })
            start.ArgumentList.Add(a);
        start.Environment["HF_HUB_OFFLINE"] = "1";
        start.Environment["HF_HUB_CACHE"] = Path.Combine(Path.GetTempPath(), "rerankkit-test-empty-hub-cache");
        var process = Process.Start(start)!;
        var replica = new ServeReplica(process, port);
        var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                serving.TrySetException(new InvalidOperationException($"rerankkit serve on port {port} exited: {replica.StderrTail()}"));
                return;
            }
            replica._stderr.Enqueue(e.Data);
            while (replica._stderr.Count > 20)
                replica._stderr.TryDequeue(out string? _);
            if (e.Data.StartsWith("Serving ", StringComparison.Ordinal))
                serving.TrySetResult();
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await serving.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
        return replica;
    }

    /// <summary>SIGKILL: no drain, no shutdown hooks; requests in flight lose their connection.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public async Task<CacheCounts> CacheCountsAsync(HttpClient client) =>
        CacheCounts.Parse(await client.GetStringAsync(new Uri(Address, "metrics")));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private string StderrTail() => string.Join(" | ", _stderr);
}
