using System.Diagnostics;

namespace RerankKit.Tests.Cli;

/// <summary>Runs the built <c>rerankkit</c> apphost (copied beside the tests) as a user would, offline and with a
/// scratch Hugging Face cache, so tests never share the console or reach the network.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => Run(new Dictionary<string, string>(), args);

    /// <summary>Runs with <paramref name="environment"/> set over the offline, scratch-cache defaults.</summary>
    public static Result Run(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "RerankKit.Cli.exe" : "RerankKit.Cli");
        var start = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
            start.ArgumentList.Add(a);
        start.Environment["HF_HUB_OFFLINE"] = "1";
        start.Environment["HF_HUB_CACHE"] = Path.Combine(Path.GetTempPath(), "rerankkit-test-empty-hub-cache");
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rerankkit {string.Join(' ', args)} did not finish");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
