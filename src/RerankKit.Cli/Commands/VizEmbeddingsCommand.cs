using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RerankKit.Visualization;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>rerankkit viz embeddings</c>: the five views, stats.json, coordinates.csv and report.html
/// of a bi-encoder over query/positive pairs, optionally beside a second model.</summary>
internal static class VizEmbeddingsCommand
{
    /// <summary>The one place a model name becomes a bi-encoder (tests substitute a fake).</summary>
    internal static Func<string, BiEncoderOptions, IBiEncoder> LoadModel { get; set; } = ModelOptions.LoadBiEncoder;

    public static Command Create()
    {
        var common = new ModelOptions();
        var data = new Option<string>("--data") { Description = "JSON array or JSON Lines of {\"query\", \"positive\"}, or a BEIR folder.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for the PNGs, stats.json, coordinates.csv and report.html.", Required = true }.OutputFolder();
        var maxSamples = new Option<int>("--max-samples") { Description = "Pairs kept (seeded subsample beyond).", DefaultValueFactory = _ => 500 };
        var skipTsne = new Option<bool>("--skip-tsne") { Description = "Do not compute the t-SNE map." };
        var skipUmap = new Option<bool>("--skip-umap") { Description = "Do not compute the UMAP map." };
        var seed = new Option<int>("--seed") { Description = "Seed of subsampling and the maps.", DefaultValueFactory = _ => 42 };
        var compare = new Option<string?>("--compare") { Description = "A second bi-encoder (e.g. another checkpoint) drawn side by side." };
        var split = new Option<string>("--split") { Description = "Qrels split of a BEIR folder.", DefaultValueFactory = _ => "test" };
        var json = new Option<bool>("--json") { Description = "Print the statistics as JSON." };
        var command = new Command("embeddings", "Project queries and positives with t-SNE and UMAP, chart similarities and check readiness.")
        {
            data, output, maxSamples, skipTsne, skipUmap, seed, compare, split, json,
        };
        common.AddTo(command);
        command.SetAction(parse =>
        {
            var options = new EmbeddingAnalysisOptions
            {
                MaxSamples = parse.GetValue(maxSamples),
                BatchSize = parse.GetValue(common.BatchSize),
                SkipTsne = parse.GetValue(skipTsne),
                SkipUmap = parse.GetValue(skipUmap),
                Seed = parse.GetValue(seed),
            };
            if (options.MaxSamples < 2)
                throw new CliException($"--max-samples must be at least 2; got {options.MaxSamples}.");
            var pairs = PairDatasetReader.Read(parse.GetValue(data)!, parse.GetValue(split)!);
            bool asJson = parse.GetValue(json);
            string outFolder = parse.GetValue(output)!;
            string? second = parse.GetValue(compare);
            // Models load before the progress display: a hub download shows its own.
            var encoderOptions = common.BiEncoderOptions(parse);
            using var encoder = LoadModel(parse.GetValue(common.Model)!, encoderOptions);
            using var compareEncoder = second is null ? null : LoadModel(second, encoderOptions);
            var (first, other, files) = ConsoleProgress.Run(!asJson, progress =>
            {
                var a = Analyze(encoder, pairs, options, progress, "");
                var b = compareEncoder is null ? null : Analyze(compareEncoder, pairs, options, progress, "compare: ");
                progress?.Report(("Writing report", 0));
                var written = EmbeddingReport.Write(outFolder, a, b);
                progress?.Report(("Writing report", 1));
                return (a, b, written);
            });
            if (asJson)
                PrintJson(first, other, files);
            else
                Print(first, other, files);
            return 0;
        });
        return command;
    }

    private static EmbeddingAnalysis Analyze(IBiEncoder encoder, IReadOnlyList<QueryPositivePair> pairs, EmbeddingAnalysisOptions options,
        IProgress<(string Stage, double Fraction)>? progress, string prefix)
    {
        var staged = progress is null ? null : new Prefixed(progress, prefix);
        return EmbeddingAnalyzer.Analyze(encoder, pairs, options, staged);
    }

    private sealed class Prefixed(IProgress<(string Stage, double Fraction)> inner, string prefix) : IProgress<(string Stage, double Fraction)>
    {
        public void Report((string Stage, double Fraction) value) => inner.Report((prefix + value.Stage, value.Fraction));
    }

    private static void Print(EmbeddingAnalysis a, EmbeddingAnalysis? b, IReadOnlyList<string> files)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        // Folder names keep the table narrow unless two checkpoints share one.
        bool shortNames = b is null || a.DisplayName != b.DisplayName;
        string Name(EmbeddingAnalysis x) => Markup.Escape(shortNames ? x.DisplayName : x.ModelName);
        var stats = new Table().Title("Statistics").AddColumn("statistic").AddColumn(new TableColumn(Name(a)).RightAligned());
        if (b is not null)
            stats.AddColumn(new TableColumn(Name(b)).RightAligned()).AddColumn(new TableColumn("difference").RightAligned());
        var other = b is null ? null : EmbeddingReport.Metrics(b).ToDictionary(m => m.Key, m => m.Value);
        foreach (var (key, label, value) in EmbeddingReport.Metrics(a))
        {
            if (other is null)
                stats.AddRow(label, F(value));
            else if (other.TryGetValue(key, out double bv))
                stats.AddRow(label, F(value), F(bv), Signed(bv - value));
        }
        console.Write(stats);
        foreach (var analysis in b is null ? new[] { a } : [a, b])
        {
            var checklist = new Table().Title($"Checklist: {Name(analysis)}").AddColumns("", "check", "criterion", "value");
            foreach (var item in analysis.Checklist.Items)
                checklist.AddRow(item.Passed ? "[green]✓[/]" : "[red]✗[/]", Markup.Escape(item.Name), Markup.Escape(item.Criterion), F(item.Value));
            console.Write(checklist);
            console.MarkupLine($"{(analysis.Checklist.AllPassed ? "[green]" : "[yellow]")}Verdict ({Name(analysis)}): {Markup.Escape(analysis.Checklist.Verdict)}[/]");
        }
        console.WriteLine($"Wrote {files.Count} files; open {files[^1]}");
    }

    private static void PrintJson(EmbeddingAnalysis a, EmbeddingAnalysis? b, IReadOnlyList<string> files)
    {
        var result = new Dictionary<string, object?>
        {
            ["model"] = JsonDocument.Parse(EmbeddingReport.StatsJson(a)).RootElement,
            ["compare"] = b is null ? null : JsonDocument.Parse(EmbeddingReport.StatsJson(b)).RootElement,
            ["files"] = files,
        };
        Console.Out.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";

    private static string Signed(double v) => double.IsFinite(v) ? v.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture) : "n/a";
}
