using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary>Consoles bound to the current Console.Out / Console.Error (so tests can capture them) and JSON lines.</summary>
internal static class CliOutput
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static IAnsiConsole Stdout() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });

    public static IAnsiConsole Stderr() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static void JsonLine<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));
}
