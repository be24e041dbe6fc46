using System.CommandLine;
using RerankKit.Cli.Commands;
using RerankKit.Engine;
using RerankKit.Models.Bundled;

namespace RerankKit.Cli;

/// <summary>The command families of the CLI, one line each.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        // Every model command offers --engine native; the library leaves registering engines to the application.
        NativeEngine.Register();
        // The tool carries all-MiniLM-L6-v2 and arctic-embed-xs, so their hub ids work offline from an empty cache.
        BundledModelCatalog.Register();
        foreach (var command in Commands.ModelCommands.All()) yield return command;
        yield return Commands.ModelsCommands.Models();
        yield return Commands.BenchCommands.Bench();
        yield return Commands.ExportCommands.ExportOnnx();
        yield return Commands.ConvertCommands.Convert();
        yield return Commands.QuantizeCommand.Create();
        yield return Commands.VizCommands.Create();
        foreach (var command in RetrievalCommands.All()) yield return command;
        foreach (var command in EvalCommands.All()) yield return command;
        foreach (var command in ExplainCommands.All()) yield return command;
        yield return Commands.ServeCommands.Serve();
        yield return Commands.TrainingCommands.Mine();
        yield return Commands.TrainingCommands.Train();
    }
}
