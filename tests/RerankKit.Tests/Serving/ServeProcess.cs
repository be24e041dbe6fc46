using System.Diagnostics;
using System.Text.RegularExpressions;

namespace RerankKit.Tests.Serving;

/// <summary>A <c>rerankkit serve</c> child process on a free port, with the address it printed; disposing it kills
/// whatever is still running.</summary>
internal sealed partial class ServeProcess : IDisposable
{
    private ServeProcess(Process process, Uri address)
    {
        Process = process;
        Address = address;
    }

    public Process Process { get; }

    public Uri Address { get; }

    /// <summary>Starts <c>rerankkit serve ARGS --port 0</c> and waits (up to a minute) for its "Serving ... on URL" line.</summary>
    public static async Task<ServeProcess> StartAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "RerankKit.Cli")) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "serve" }.Concat(args).Concat(["--port", "0"]))
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        Uri? address = null;
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (address is null && DateTime.UtcNow < deadline && await process.StandardError.ReadLineAsync() is { } line)
        {
            if (ServingLine().Match(line) is { Success: true } m)
                address = new Uri(m.Groups[1].Value);
        }
        if (address is null)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new Xunit.Sdk.XunitException("serve printed no 'Serving ... on URL' line within a minute");
        }
        _ = process.StandardError.ReadToEndAsync();
        return new ServeProcess(process, address);
    }

    public void Dispose()
    {
        if (!Process.HasExited)
            Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }

    [GeneratedRegex(@"^Serving .* on (http://\S+) ")]
    private static partial Regex ServingLine();
}
