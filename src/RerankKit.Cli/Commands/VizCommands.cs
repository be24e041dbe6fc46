using System.CommandLine;

namespace RerankKit.Cli.Commands;

/// <summary>The <c>viz</c> family: look at an embedding space.</summary>
internal static class VizCommands
{
    public static Command Create() => new("viz", "Visualise an embedding model: projections, similarity views, statistics and a readiness checklist.")
    {
        VizEmbeddingsCommand.Create(),
    };
}
