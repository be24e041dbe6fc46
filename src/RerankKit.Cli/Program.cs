using System.CommandLine;
using RerankKit.Cli;

var root = new RootCommand("RerankKit: two-stage retrieval with cross-encoder reranking, explanations and serving.");
// Each capability contributes its commands from its own file; keep one line per family here.
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

return CliRunner.Run(root, args, Console.Error);
