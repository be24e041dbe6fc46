using System.CommandLine;
using RerankKit.Inference;
using RerankKit.Inference.Benchmark;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>bench rerank</c>: reranking throughput end to end against a bare ONNX Runtime session.</summary>
internal static class BenchCommands
{
    public static Command Bench()
    {
        var bench = new Command("bench", "Benchmarks (figures vary with the machine and its load)");
        bench.Add(Rerank());
        bench.Add(EmbedBenchCommand.Create());
        bench.Add(EngineBenchCommand.Create());
        bench.Add(TokenizeBenchCommand.Create());
        bench.Add(VizBenchCommand.Create());
        return bench;
    }

    private static Command Rerank()
    {
        var model = new Option<string>("--model", "-m") { Description = "Cross-encoder folder or hub id", Required = true };
        var docs = new Option<int>("--docs") { Description = "Documents per query", DefaultValueFactory = _ => 100 };
        var tokens = new Option<int>("--tokens") { Description = "Tokens per document in the equal-length run", DefaultValueFactory = _ => 200 };
        var iterations = new Option<int>("--iterations") { Description = "Timed queries per run, runs taking turns query by query (after one warm-up each)", DefaultValueFactory = _ => 5 };
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads (default: the runtime's choice)" };
        var batchSize = new Option<int>("--batch-size") { Description = "Pairs per batch", DefaultValueFactory = _ => 32 };
        var onnxFiles = new OnnxFileOptions();
        var compare = new Option<string?>("--compare-onnx-file") { Description = $"A second ONNX export of the same folder timed end to end in turn with the first, e.g. {Quantization.OnnxQuantizer.Int8OnnxFile}" };
        var profile = new Option<string?>("--profile") { Description = "Then run the equal and the spread batches once more with ONNX Runtime's profiler on (per file), writing PREFIX_<date>.json (PREFIX-compare_<date>.json for --compare-onnx-file), and print the time by operator type" };
        var json = new Option<bool>("--json") { Description = "Print the runs (and the profile) as JSON" };
        var maxTokensPerRun = ModelOptions.MaxTokensPerRunOption();
        var command = new Command("rerank", "Rerank synthetic documents for a short query: equal lengths, then lengths spread from 20 to 400 tokens");
        foreach (Option o in new Option[] { model, docs, tokens, iterations, threads, batchSize, compare, profile, json, maxTokensPerRun })
            command.Add(o);
        onnxFiles.AddTo(command);
        command.SetAction(parse =>
        {
            int n = parse.GetValue(docs);
            int length = parse.GetValue(tokens);
            int iters = parse.GetValue(iterations);
            int batch = parse.GetValue(batchSize);
            int? t = parse.GetValue(threads) is { } tt ? tt : null;
            string name = parse.GetValue(model)!;
            string? onnx = onnxFiles.For(parse, name);
            string? compareFile = parse.GetValue(compare);
            int slice = ModelOptions.MaxTokensPerRunOf(parse, maxTokensPerRun);
            using var encoder = ModelOptions.LoadCrossEncoder(name, new CrossEncoderOptions { Threads = t, OnnxFile = onnx, MaxTokensPerRun = slice });
            using var other = compareFile is null ? null : ModelOptions.LoadCrossEncoder(name, new CrossEncoderOptions { Threads = t, OnnxFile = compareFile, MaxTokensPerRun = slice });
            var otherBench = other is null ? null : new RerankBenchmark(other, other.Folder.File(compareFile!), t, batch, iters);
            var bench = new RerankBenchmark(encoder, encoder.Folder.File(onnx ?? OnnxBackendFactory.DefaultOnnxFile), t, batch, iters);
            var words = BenchmarkCorpus.Words(encoder.Folder.Path);
            string query = BenchmarkCorpus.Query;
            var equal = BenchmarkCorpus.Documents(words, BenchmarkCorpus.EqualLengths(n, Math.Min(length, encoder.MaxLength - 32)), 1);
            var spread = BenchmarkCorpus.Documents(words, BenchmarkCorpus.SpreadLengths(n, 20, Math.Min(400, encoder.MaxLength - 32), 2), 2);

            bool asJson = parse.GetValue(json);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(asJson ? TextWriter.Null : Console.Out) });
            console.Profile.Width = Math.Max(console.Profile.Width, 120);
            console.WriteLine($"model {name}: {encoder.Folder.Config.NumHiddenLayers} layers, hidden {encoder.Folder.Config.HiddenSize}, " +
                              $"FFN {encoder.Folder.Config.IntermediateSize}; {n} documents per query; batch size {batch}; " +
                              $"threads {(t?.ToString() ?? "runtime default")}; {iters} timed queries per run, runs taking turns query by query after one warm-up each");
            console.WriteLine(EncoderFlops.Formula);
            var runs = new List<RerankBenchmark.Run>();
            // The compared export runs last in each group, taking turns with the others query by query.
            var compared = new List<RerankBenchmark.Run>();
            using (var e2e = bench.EndToEnd("equal, end to end", query, equal))
            using (var bare = bench.Bare("equal, bare session", query, equal, padToLongest: false))
            using (var cmp = otherBench?.EndToEnd($"equal, end to end, {compareFile}", query, equal))
                Split(bench.Measure(cmp is null ? [e2e, bare] : [e2e, bare, cmp]), 2, runs, compared);
            using (var e2e = bench.EndToEnd("spread, end to end", query, spread))
            using (var bare = bench.Bare("spread, bare session", query, spread, padToLongest: false))
            using (var padded = bench.Bare("spread, bare, all padded to longest", query, spread, padToLongest: true))
            using (var cmp = otherBench?.EndToEnd($"spread, end to end, {compareFile}", query, spread))
                Split(bench.Measure(cmp is null ? [e2e, bare, padded] : [e2e, bare, padded, cmp]), 3, runs, compared);
            var table = new Table().AddColumns("run", "mean pair tokens", "pairs/s", "p50 ms/query", "p95 ms/query", "GFLOP/s (useful)");
            foreach (var r in runs.Concat(compared))
                table.AddRow(Markup.Escape(r.Name), r.MeanPairTokens.ToString("0.0"), r.PairsPerSecond.ToString("0.0"), r.P50.ToString("0"), r.P95.ToString("0"), r.GflopsPerSecond.ToString("0.0"));
            console.Write(table);
            console.WriteLine($"tokenization: {bench.TokenizationMilliseconds(query, equal):0.0} ms per query (equal), {bench.TokenizationMilliseconds(query, spread):0.0} ms (spread)");
            console.WriteLine($"equal lengths: end to end is {100 * runs[0].PairsPerSecond / runs[1].PairsPerSecond:0.0}% of the bare session");
            console.WriteLine($"spread lengths: end to end is {runs[2].PairsPerSecond / runs[4].PairsPerSecond:0.00}x padding everything to the longest " +
                              $"({100 * runs[2].PairsPerSecond / runs[3].PairsPerSecond:0.0}% of a bare session on the same batches)");
            if (compared.Count == 2)
            {
                string baseline = onnx ?? OnnxBackendFactory.DefaultOnnxFile;
                console.WriteLine($"{compareFile} vs {baseline}, end to end, same run: {compared[0].PairsPerSecond / runs[0].PairsPerSecond:0.00}x pairs/s (equal lengths), " +
                                  $"{compared[1].PairsPerSecond / runs[2].PairsPerSecond:0.00}x (spread)");
            }
            var profiles = new List<(string File, OperatorProfile Profile)>();
            if (parse.GetValue(profile) is { } prefix)
            {
                var batches = bench.Batches(query, equal).Concat(bench.Batches(query, spread)).ToList();
                string baselineFile = onnx ?? OnnxBackendFactory.DefaultOnnxFile;
                profiles.Add((baselineFile, OperatorProfile.Record(encoder.Folder.File(baselineFile), t, batches, prefix)));
                if (compareFile is not null)
                    profiles.Add((compareFile, OperatorProfile.Record(encoder.Folder.File(compareFile), t, batches, prefix + "-compare")));
                console.WriteLine($"ONNX Runtime profile, one pass over the equal and the spread batches ({batches.Count} batches), kernel time by operator type:");
                console.Write(ProfileTable(profiles));
                foreach (var (file, p) in profiles)
                    console.WriteLine($"{file}: trace {p.TraceFile}");
            }
            if (asJson)
            {
                Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    model = name,
                    runs = runs.Concat(compared).Select(r => new
                    {
                        name = r.Name, mean_pair_tokens = r.MeanPairTokens, pairs_per_second = r.PairsPerSecond,
                        p50_ms = r.P50, p95_ms = r.P95, gflops_per_second = r.GflopsPerSecond,
                    }),
                    profiles = profiles.Select(p => new
                    {
                        onnx_file = p.File, trace = p.Profile.TraceFile, run_ms = p.Profile.RunMilliseconds, kernel_ms = p.Profile.KernelMilliseconds,
                        operators = p.Profile.Operators.Select(o => new { op_type = o.OpType, ms = o.Milliseconds, calls = o.Calls }),
                    }),
                }));
            }
            return 0;
        });
        return command;
    }

    /// <summary>One row per operator type, each profiled file's milliseconds and share of its kernel time side by side.</summary>
    private static Table ProfileTable(IReadOnlyList<(string File, OperatorProfile Profile)> profiles)
    {
        var table = new Table().AddColumn("op type");
        foreach (var (file, _) in profiles)
            table.AddColumns($"{Markup.Escape(file)} ms", "share", "calls");
        var types = profiles.SelectMany(p => p.Profile.Operators).GroupBy(o => o.OpType)
            .OrderByDescending(g => g.Max(o => o.Milliseconds)).Select(g => g.Key);
        foreach (string type in types)
        {
            var cells = new List<string> { Markup.Escape(type) };
            foreach (var (_, p) in profiles)
            {
                var op = p.Operators.FirstOrDefault(o => o.OpType == type);
                cells.AddRange(op is null
                    ? ["", "", ""]
                    : [op.Milliseconds.ToString("0.0"), (100 * op.Milliseconds / p.KernelMilliseconds).ToString("0.0") + "%", op.Calls.ToString()]);
            }
            table.AddRow(cells.ToArray());
        }
        var totals = new List<string> { "all kernels (model_run)" };
        foreach (var (_, p) in profiles)
            totals.AddRange([p.KernelMilliseconds.ToString("0.0"), $"({p.RunMilliseconds:0.0})", ""]);
        table.AddRow(totals.ToArray());
        return table;
    }

    private static void Split(IReadOnlyList<RerankBenchmark.Run> measured, int own, List<RerankBenchmark.Run> runs, List<RerankBenchmark.Run> compared)
    {
        runs.AddRange(measured.Take(own));
        compared.AddRange(measured.Skip(own));
    }
}
