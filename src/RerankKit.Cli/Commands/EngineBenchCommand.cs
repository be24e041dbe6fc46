using System.CommandLine;
using System.Text.Json;
using RerankKit.Engine;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>rerankkit bench engine</c>: native engine forward versus ONNX Runtime forward on the same ids.</summary>
internal static class EngineBenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder with model.safetensors and onnx/model.onnx", Required = true };
        var tokens = new Option<int>("--tokens") { Description = "Sequence length", DefaultValueFactory = _ => 200 };
        var batch = new Option<int>("--batch") { Description = "Sequences per forward", DefaultValueFactory = _ => 8 };
        var iterations = new Option<int>("--iterations") { Description = "Timed forwards per engine, interleaved (after two warm-ups)", DefaultValueFactory = _ => 5 };
        var threads = new Option<int?>("--threads") { Description = "Threads for both engines (default: one per core)" };
        var train = new Option<bool>("--train") { Description = "Also time a native training step (forward + backward) on the same batch" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("engine", "Time the native engine's forward against ONNX Runtime's on the same ids")
        {
            model, tokens, batch, iterations, threads, train, json,
        };
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(model)!;
            if (!Directory.Exists(folder))
                throw new CliException($"model folder not found: {folder}");
            var result = EngineBenchmark.Run(folder, new EngineBenchmarkOptions
            {
                Tokens = parse.GetValue(tokens),
                Batch = parse.GetValue(batch),
                Iterations = parse.GetValue(iterations),
                Training = parse.GetValue(train),
                Threads = parse.GetValue(threads),
            });
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    model = result.Model,
                    batch = result.Batch,
                    tokens = result.Tokens,
                    iterations = result.Iterations,
                    threads = result.Threads,
                    native_median_ms = result.NativeMedianMs,
                    native_best_ms = result.NativeBestMs,
                    onnx_median_ms = result.OnnxMedianMs,
                    onnx_best_ms = result.OnnxBestMs,
                    ratio = result.Ratio,
                    max_abs_difference = result.MaxAbsDifference,
                    train_median_ms = result.TrainMedianMs,
                    train_best_ms = result.TrainBestMs,
                    train_ratio = result.TrainRatio,
                    train_allocated_mb_per_step = result.TrainAllocatedMbPerStep,
                    train_gc_pause_ms_per_step = result.TrainGcPauseMsPerStep,
                    onnx_pairs_per_second = EngineBenchmarkResult.PairsPerSecond(result.Batch, result.OnnxMedianMs),
                    train_pairs_per_second = result.TrainMedianMs is { } t ? EngineBenchmarkResult.PairsPerSecond(result.Batch, t) : (double?)null,
                }));
                return 0;
            }
            var table = new Table().AddColumns("engine", "median ms", "best ms", "pairs/s");
            table.AddRow("native forward", $"{result.NativeMedianMs:F1}", $"{result.NativeBestMs:F1}", $"{EngineBenchmarkResult.PairsPerSecond(result.Batch, result.NativeMedianMs):F1}");
            table.AddRow("onnx runtime forward", $"{result.OnnxMedianMs:F1}", $"{result.OnnxBestMs:F1}", $"{EngineBenchmarkResult.PairsPerSecond(result.Batch, result.OnnxMedianMs):F1}");
            if (result.TrainMedianMs is { } trainMs)
                table.AddRow("native training step", $"{trainMs:F1}", $"{result.TrainBestMs:F1}", $"{EngineBenchmarkResult.PairsPerSecond(result.Batch, trainMs):F1}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{Markup.Escape(result.Model)}: batch {result.Batch} x {result.Tokens} tokens, {result.Iterations} iterations, {result.Threads} threads; " +
                $"native / onnx = [bold]{result.Ratio:F2}[/]x; max |native - onnx| = {result.MaxAbsDifference:E2}");
            if (result.TrainRatio is { } trainRatio)
                AnsiConsole.MarkupLine($"training step / onnx forward = [bold]{trainRatio:F2}[/]x; " +
                    $"{result.TrainAllocatedMbPerStep:F0} MB allocated and {result.TrainGcPauseMsPerStep:F0} ms GC pause per step");
            return 0;
        });
        return command;
    }
}
