using System.CommandLine;
using System.Text.Json;
using RerankKit.Inference;
using RerankKit.Inference.Benchmark;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>rerankkit bench embed</c>: corpus encoding end to end against a bare ONNX Runtime session on the same
/// batches.</summary>
internal static class EmbedBenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Bi-encoder folder or hub id", Required = true };
        var dataset = new Option<string?>("--dataset") { Description = "BEIR dataset folder; its corpus.jsonl (title + \" \" + text) is encoded" };
        var texts = new Option<int?>("--texts") { Description = "Without --dataset: this many synthetic documents of 20 to 400 tokens (default 256)" };
        var limit = new Option<int?>("--limit") { Description = "Encode only the first N documents of the dataset" };
        var batchSize = new Option<int>("--batch-size") { Description = "Documents per batch", DefaultValueFactory = _ => 32 };
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads (default: every core)" };
        var iterations = new Option<int>("--iterations") { Description = "Timed passes per run, runs taking turns pass by pass (after one warm-up each)", DefaultValueFactory = _ => 1 };
        var ablate = new Option<bool>("--ablate") { Description = "Also time the encoding path with each of its steps off: overlapped padding, in-place read of the output, whole-input length sort, attention fusion, sliced runs" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var maxTokensPerRun = ModelOptions.MaxTokensPerRunOption();
        var onnxFiles = new OnnxFileOptions();
        var command = new Command("embed", "Encode a corpus end to end and on a bare ONNX Runtime session over the same padded batches")
        {
            model, dataset, texts, limit, batchSize, threads, iterations, ablate, json, maxTokensPerRun,
        };
        onnxFiles.AddTo(command);
        command.SetAction(parse =>
        {
            string name = parse.GetValue(model)!;
            string? folder = parse.GetValue(dataset);
            int? t = parse.GetValue(threads);
            int batch = parse.GetValue(batchSize);
            if (folder is not null && parse.GetValue(texts) is not null)
                throw new CliException("give --dataset or --texts, not both");
            if (folder is null && parse.GetValue(limit) is not null)
                throw new CliException("--limit applies to --dataset");
            string? onnx = onnxFiles.For(parse, name);
            int slice = ModelOptions.MaxTokensPerRunOf(parse, maxTokensPerRun);
            using var encoder = ModelOptions.LoadBiEncoder(name, new BiEncoderOptions { Threads = t, OnnxFile = onnx, MaxTokensPerRun = slice });
            using var unfused = parse.GetValue(ablate) ? ModelOptions.LoadBiEncoder(name, new BiEncoderOptions { Threads = t, OnnxFile = onnx, FuseAttention = false, MaxTokensPerRun = slice }) : null;
            using var unsliced = parse.GetValue(ablate) ? ModelOptions.LoadBiEncoder(name, new BiEncoderOptions { Threads = t, OnnxFile = onnx, MaxTokensPerRun = 0 }) : null;
            var loadedWithout = unfused is null || unsliced is null ? null : new[]
            {
                ("  without attention fusion (graph as exported)", unfused),
                ("  without sliced runs (each batch in one run)", unsliced),
            };
            var documents = folder is null
                ? Synthetic(encoder, parse.GetValue(texts) ?? 256)
                : BeirCorpusTexts.Load(folder, parse.GetValue(limit));
            var bench = new EmbedBenchmark(encoder, encoder.Folder.File(onnx ?? OnnxBackendFactory.DefaultOnnxFile), t, batch, parse.GetValue(iterations), loadedWithout);
            var runs = bench.Measure(documents, parse.GetValue(ablate));
            double ratio = runs[0].PairsPerSecond / runs[^1].PairsPerSecond;
            string threadText = (t ?? Environment.ProcessorCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    model = name,
                    documents = documents.Count,
                    mean_tokens = runs[0].MeanPairTokens,
                    batch_size = batch,
                    threads = t ?? Environment.ProcessorCount,
                    end_to_end_docs_per_second = runs[0].PairsPerSecond,
                    bare_docs_per_second = runs[^1].PairsPerSecond,
                    ratio,
                    runs = runs.Select(r => new { name = r.Name.Trim(), docs_per_second = r.PairsPerSecond, seconds = r.QueryMilliseconds.Sum() / 1000 }),
                }));
                return 0;
            }
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
            console.Profile.Width = Math.Max(console.Profile.Width, 120);
            console.WriteLine($"model {name}: {documents.Count} documents, mean {runs[0].MeanPairTokens:0.0} tokens; batch size {batch}; threads {threadText}; " +
                              $"one warm-up and {runs[0].QueryMilliseconds.Length} timed pass(es) each, taking turns");
            var table = new Table().AddColumns("run", "docs/s", "seconds", "GFLOP/s (useful)");
            foreach (var r in runs)
                table.AddRow(Markup.Escape(r.Name), r.PairsPerSecond.ToString("0.0"), (r.QueryMilliseconds.Sum() / 1000).ToString("0.00"), r.GflopsPerSecond.ToString("0.0"));
            console.Write(table);
            console.WriteLine($"end to end is {100 * ratio:0.0}% of the bare session's docs/s");
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<string> Synthetic(BiEncoder encoder, int count)
    {
        var words = BenchmarkCorpus.Words(encoder.Folder.Path);
        return BenchmarkCorpus.Documents(words, BenchmarkCorpus.SpreadLengths(count, 20, Math.Min(400, encoder.MaxLength - 2), 3), 3);
    }
}
