using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary>A Spectre console bound to the current Console.Out, so redirected or captured output receives it.</summary>
internal static class CliOutput
{
    public static IAnsiConsole Stdout() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
}
