using System.CommandLine;
using RerankKit.Hub;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>models list</c>: the hub ids that resolve without the network, bundled with the tool or already in the
/// Hugging Face cache.</summary>
internal static class ModelsCommands
{
    public static Command Models()
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per model instead of a table" };
        var list = new Command("list", "List the bundled models and the models in the Hugging Face cache (HF_HUB_CACHE)");
        list.Add(json);
        list.SetAction(parse =>
        {
            var rows = Rows();
            if (parse.GetValue(json))
            {
                foreach (var row in rows)
                    CliJson.WriteLine(row);
                return 0;
            }
            var table = new Table().AddColumns("model", "bundled", "cached main", "snapshots");
            // The short commit, as git shows it, keeps the table within an 80-column terminal; --json has it whole.
            foreach (var row in rows)
                table.AddRow(Markup.Escape(row.Model), row.Bundled ? "yes" : "no", row.MainCommit?[..12] ?? "-",
                    row.Snapshots.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            CliOutput.Stdout().Write(table);
            return 0;
        });
        var command = new Command("models", "Models available offline");
        command.Subcommands.Add(list);
        return command;
    }

    private static ModelRow[] Rows()
    {
        var cached = HubCacheScan.Models().ToDictionary(m => m.RepoId, StringComparer.Ordinal);
        var ids = BundledModels.All.Select(b => b.RepoId).Concat(cached.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return ids.Select(id => new ModelRow(id, BundledModels.Find(id)?.Commit, cached.GetValueOrDefault(id)?.MainCommit,
            cached.GetValueOrDefault(id)?.Snapshots ?? [])).ToArray();
    }

    /// <summary>One model: the commit its bundled copy is filed under (null when not bundled), the commit the cache's
    /// refs/main names and the snapshots the cache holds.</summary>
    private sealed record ModelRow(string Model, string? BundledCommit, string? MainCommit, IReadOnlyList<string> Snapshots)
    {
        public bool Bundled => BundledCommit is not null;
    }
}
