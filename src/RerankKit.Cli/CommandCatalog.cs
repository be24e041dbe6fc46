using System.CommandLine;
using RerankKit.Cli.Commands;
using RerankKit.Engine;

namespace RerankKit.Cli;

/// <summary>The command families of the CLI, one line each.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        // Every model command offers --engine native; the library leaves registering engines to the application.
        NativeEngine.Register();
        foreach (var command in Commands.ModelCommands.All()) yield return command;
        yield return Commands.BenchCommands.Bench();
        yield return Commands.ExportCommands.ExportOnnx();
        yield return Commands.ConvertCommands.Convert();
        yield return Commands.VizCommands.Create();
        foreach (var command in RetrievalCommands.All()) yield return command;
        foreach (var command in EvalCommands.All()) yield return command;
        foreach (var command in ExplainCommands.All()) yield return command;
        yield return Commands.ServeCommands.Serve();
        yield return Commands.TrainingCommands.Mine();
        yield return Commands.TrainingCommands.Train();
    }
}
