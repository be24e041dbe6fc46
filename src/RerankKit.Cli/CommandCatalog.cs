using System.CommandLine;

namespace RerankKit.Cli;

/// <summary>The command families of the CLI, one line each.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return Commands.ExportCommands.ExportOnnx();
        yield return Commands.TrainingCommands.Mine();
        yield return Commands.TrainingCommands.Train();
    }
}
