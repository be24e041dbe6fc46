using System.Diagnostics;

namespace RerankKit.Tests.Cli;

/// <summary>Runs the built <c>rerankkit</c> apphost (copied beside the tests) as a user would, offline and with a
/// scratch Hugging Face cache, so tests never share the console or reach the network.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunWithEnvironment(new Dictionary<string, string>(), args);

    /// <summary>Runs with extra environment variables, e.g. a locale.</summary>
    public static Result RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunIn(null, environment, args);

    /// <summary>Runs in <paramref name="workingDirectory"/> (null: the tests' own), for commands with relative paths.</summary>
    public static Result RunIn(string? workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = StartInfo(args);
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
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

    /// <summary>Starts the CLI without waiting, for tests that kill it mid-run; output is discarded.</summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = StartInfo(args);
        start.RedirectStandardOutput = false;
        start.RedirectStandardError = false;
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        return Process.Start(start)!;
    }

    private static ProcessStartInfo StartInfo(string[] args)
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
        return start;
    }

    /// <summary>Kills <paramref name="process"/> with SIGKILL (no handler runs, as in a crash) once
    /// <paramref name="marker"/> exists or the process has ended by itself.</summary>
    public static void KillWhenExists(Process process, string marker)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!File.Exists(marker) && !process.HasExited && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }
}
