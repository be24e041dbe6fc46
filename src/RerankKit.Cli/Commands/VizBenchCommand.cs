using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RerankKit.Visualization;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>rerankkit bench viz</c>: t-SNE and UMAP time and quality on Gaussian clusters.</summary>
internal static class VizBenchCommand
{
    public static Command Create()
    {
        var points = new Option<int>("--points") { Description = "Number of points.", DefaultValueFactory = _ => 2000 };
        var clusters = new Option<int>("--clusters") { Description = "Number of Gaussian clusters.", DefaultValueFactory = _ => 10 };
        var dims = new Option<int>("--dims") { Description = "Input dimensions.", DefaultValueFactory = _ => 64 };
        var seed = new Option<int>("--seed") { Description = "Random seed of the data and the layouts.", DefaultValueFactory = _ => 42 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("viz", "Time t-SNE and UMAP on synthetic Gaussian clusters and measure trustworthiness (k = 5) and cluster separation.")
        {
            points, clusters, dims, seed, json,
        };
        command.SetAction(parse =>
        {
            var rows = Run(parse.GetValue(points), parse.GetValue(clusters), parse.GetValue(dims), parse.GetValue(seed), !parse.GetValue(json));
            if (parse.GetValue(json))
                Console.Out.WriteLine(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            else
                Print(rows, parse.GetValue(points), parse.GetValue(clusters), parse.GetValue(dims));
            return 0;
        });
        return command;
    }

    internal sealed record BenchRow(string Method, string Variant, double Seconds, double CpuSeconds, double Trustworthiness, double NeighborLabelAgreement, double SeparationRatio);

    private static List<BenchRow> Run(int points, int clusters, int dims, int seed, bool showProgress)
    {
        if (points < 12)
            throw new CliException($"--points must be at least 12; got {points}.");
        var (data, labels) = SyntheticClusters.Generate(points, clusters, dims, seed);
        return ConsoleProgress.Run(showProgress, progress =>
        {
            var rows = new List<BenchRow>();
            var tsne = new Tsne(new TsneOptions { Seed = seed });
            rows.Add(Measure("t-SNE", () => tsne.FitTransform(data, Stage(progress, "t-SNE")), () => tsne.UsedBarnesHut ? "Barnes-Hut" : "exact", data, labels));
            var umap = new Umap(new UmapOptions { Seed = seed });
            rows.Add(Measure("UMAP", () => umap.FitTransform(data, Stage(progress, "UMAP")), () => "exact kNN", data, labels));
            return rows;
        });
    }

    private static Progress Stage(IProgress<(string, double)>? progress, string name) => new(f => progress?.Report((name, f)));

    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    private static BenchRow Measure(string method, Func<double[][]> fit, Func<string> variant, float[][] data, int[] labels)
    {
        // CPU time beside wall time: on a shared machine the wall clock mostly measures the neighbours.
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var map = fit();
        double seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return new BenchRow(method, variant(), seconds, cpu, Trustworthiness.Compute(data, map, 5),
            ClusterAgreement.NeighborLabelAgreement(map, labels, 5), ClusterAgreement.SeparationRatio(map, labels));
    }

    private static void Print(List<BenchRow> rows, int points, int clusters, int dims)
    {
        var table = new Table().Title($"{points} points, {clusters} Gaussian clusters in {dims} dimensions, {Environment.ProcessorCount} cores");
        table.AddColumns("method", "variant", "wall s", "cpu s", "trust k=5", "5-NN labels", "separation");
        foreach (var r in rows)
            table.AddRow(r.Method, r.Variant, F(r.Seconds, "0.00"), F(r.CpuSeconds, "0.00"), F(r.Trustworthiness, "0.0000"), F(r.NeighborLabelAgreement, "0.0000"), F(r.SeparationRatio, "0.00"));
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }).Write(table);
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
