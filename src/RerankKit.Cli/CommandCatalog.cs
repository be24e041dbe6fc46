using System.CommandLine;

namespace RerankKit.Cli;

/// <summary>The command families of the CLI, one line each.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        foreach (var command in Commands.ModelCommands.All())
            yield return command;
        yield return Commands.ExportCommands.ExportOnnx();
        yield return Commands.VizCommands.Create();
        yield return Commands.ServeCommands.Serve();
    }
}
