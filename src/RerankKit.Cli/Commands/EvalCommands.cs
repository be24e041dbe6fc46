using RerankKit.IO;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RerankKit.Evaluation;
using RerankKit.Retrieval;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>eval</c>: quality of a first stage with and without reranking on a BEIR dataset, the reranker's
/// impact on ranks and latency, and a first-stage-K sweep.</summary>
internal static class EvalCommands
{
    public static IEnumerable<Command> All() => [Eval()];

    private static Command Eval()
    {
        var dataset = new Option<string>("--dataset") { Description = "BEIR folder with corpus.jsonl, queries.jsonl and qrels/{split}.tsv", Required = true };
        var split = new Option<string>("--split") { Description = "Qrels split", DefaultValueFactory = _ => "test" };
        var firstStage = new Option<string>("--first-stage") { Description = "bm25, dense, hybrid or colbert", DefaultValueFactory = _ => "bm25" };
        var embedModel = new Option<string?>("--embed-model") { Description = "Bi-encoder for dense and hybrid" };
        var rerankModel = new Option<string[]>("--rerank-model")
        {
            Description = "Reranker: cross-encoder, T5 (see --scoring; or SCORING:MODEL, e.g. rankt5:M) or ColBERT; repeat it to compare several over the same first stage; without it only the first stage is evaluated",
            DefaultValueFactory = _ => [],
        };
        var firstK = new Option<int>("--first-k") { Description = "Candidates reranked per query", DefaultValueFactory = _ => 100 };
        var k = new Option<int>("--k") { Description = "Cutoff of nDCG, MRR, Recall, MAP and P", DefaultValueFactory = _ => 10 };
        var sweep = new Option<string?>("--sweep") { Description = "Comma-separated first-stage K values to compare, e.g. 10,20,50,100" };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N queries (quick runs)" };
        var batchSize = new Option<int>("--batch-size") { Description = "Cross-encoder pairs per batch", DefaultValueFactory = _ => 32 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var output = new Option<string?>("--out") { Description = "Folder for report.json, report.md and TREC run files" }.OutputFolder();
        var k1 = new Option<float>("--k1") { Description = "BM25 k1", DefaultValueFactory = _ => 0.9f };
        var b = new Option<float>("--b") { Description = "BM25 b", DefaultValueFactory = _ => 0.4f };
        var truncateDim = new TruncateDimOption();
        var llm = new LlmOptions();
        var command = new Command("eval", "Evaluate first stage vs reranked on a BEIR dataset (nDCG, MRR, Recall, MAP, P), rank impact and a first-stage-K sweep");
        var colbertModel = new Option<string?>("--colbert-model") { Description = "PyLate ColBERT for --first-stage colbert (token vectors of every document, exact MaxSim)" };
        foreach (Option o in new Option[] { dataset, split, firstStage, embedModel, rerankModel, firstK, k, sweep, limit, batchSize, json, output, k1, b, truncateDim, colbertModel })
            command.Add(o);
        var kinds = new RerankerKindOptions();
        kinds.AddTo(command);
        llm.AddTo(command);
        var onnxFiles = new OnnxFileOptions(models: "every model (--embed-model, --rerank-model)");
        onnxFiles.AddTo(command);
        command.SetAction(parse =>
        {
            var kind = RetrievalCommands.ParseFirstStage(parse.GetValue(firstStage)!);
            int cutoff = parse.GetValue(k);
            int depth = parse.GetValue(firstK);
            if (depth < cutoff)
                throw new CliException($"--first-k ({depth}) must be at least --k ({cutoff})");
            var sweepValues = ParseSweep(parse.GetValue(sweep), cutoff);
            string? embedName = parse.GetValue(embedModel);
            if (kind is FirstStageKind.Dense or FirstStageKind.Hybrid && embedName is null)
                throw new CliException($"--first-stage {kind.ToString().ToLowerInvariant()} needs --embed-model");
            int? dims = parse.GetValue(truncateDim);
            if (dims is not null && kind == FirstStageKind.Bm25)
                throw new CliException("--truncate-dim shortens dense vectors; use it with --first-stage dense or hybrid");
            string[] specs = parse.GetValue(rerankModel)!;
            // The LLM is one more row beside the --rerank-model ones, over the same first stage.
            int rerankerCount = specs.Length + (llm.IsChosen(parse) ? 1 : 0);
            if (sweepValues.Count > 0 && rerankerCount == 0)
                throw new CliException("--sweep compares reranking depths; give --rerank-model (or --llm-endpoint) too");
            if (rerankerCount > 1 && sweepValues.Count > 0)
                throw new CliException("--sweep measures one reranker; compare several rerankers without it");
            if (rerankerCount > 1 && parse.GetValue(output) is not null)
                throw new CliException("--out writes one reranker's report and runs; compare several rerankers without it");

            var data = BeirDataset.Load(parse.GetValue(dataset)!, parse.GetValue(split)!);
            if (parse.GetValue(limit) is { } n)
                data = data.WithFirstQueries(n);
            using var encoder = embedName is null ? null : RetrievalModels.LoadBiEncoder(embedName, onnxFiles.For(parse, embedName));
            using var colbert = parse.GetValue(colbertModel) is { } cm ? RetrievalCommands.LoadColBert(cm) : null;
            if (kind == FirstStageKind.ColBert && colbert is null)
                throw new CliException("--first-stage colbert needs --colbert-model");
            using var llmReranker = llm.IsChosen(parse) ? llm.Create(parse) : null;
            var rerankers = new List<ICrossEncoder?>();
            try
            {
                foreach (string spec in specs)
                    rerankers.Add(kinds.LoadForPipeline(parse, spec, new RerankerOptions { BatchSize = parse.GetValue(batchSize), OnnxFile = onnxFiles.For(parse, RerankerKindOptions.ParseSpec(spec).Model) }));
                if (llmReranker is not null)
                    rerankers.Add(new RerankerCrossEncoder(llmReranker));
                if (rerankers.Count == 0)
                    rerankers.Add(null);
                return Run(parse, data, kind, encoder, colbert, rerankers, llmReranker);
            }
            finally
            {
                foreach (var r in rerankers)
                    r?.Dispose();
            }
        });
        return command;

        int Run(ParseResult parse, BeirDataset data, FirstStageKind kind, IBiEncoder? encoder, LateInteraction.ColBert? colbert,
            IReadOnlyList<ICrossEncoder?> rerankers, Listwise.LlmReranker? llmReranker)
        {
            int cutoff = parse.GetValue(k);
            int depth = parse.GetValue(firstK);
            var sweepValues = ParseSweep(parse.GetValue(sweep), cutoff);
            int? dims = parse.GetValue(truncateDim);
            var options = new TwoStageOptions { PredictOptions = new PredictOptions { BatchSize = parse.GetValue(batchSize) } };
            var bm25 = new Bm25Options { K1 = parse.GetValue(k1), B = parse.GetValue(b) };

            var (reports, indexSeconds) = RetrievalModels.WithProgress(!parse.GetValue(json), progress =>
            {
                // Whole documents (title + text), as BEIR scores them: no chunking.
                var clock = Stopwatch.StartNew();
                using var index = SearchIndex.Build(data.Corpus, kind is FirstStageKind.Bm25 or FirstStageKind.ColBert ? null : encoder,
                    new SearchIndexOptions { Bm25 = bm25, EncodeOptions = new EncodeOptions { TruncateDim = dims }, ColBert = kind == FirstStageKind.ColBert ? colbert : null }, progress);
                double seconds = clock.Elapsed.TotalSeconds;
                var retriever = RetrievalCommands.CreateRetriever(index, kind, encoder, colbert);
                // Each reranker reranks the same first stage's candidates: the retriever is deterministic.
                return (rerankers.Select(r => RerankingBenchmark.Run(data, retriever, r, depth, cutoff, sweepValues, options, progress)).ToList(), seconds);
            });

            if (reports.Count > 1)
            {
                var kindNames = rerankers.Select(r => RerankerKindOptions.KindOf(r!)).ToList();
                if (parse.GetValue(json))
                {
                    var comparison = ComparisonJson(reports, kindNames, indexSeconds);
                    if (llmReranker is not null)
                        comparison["rerankers"]![reports.Count - 1]!["usage"] = JsonSerializer.SerializeToNode(LlmOptions.Json(llmReranker.TotalUsage), CliJson.Options);
                    Console.Out.WriteLine(comparison.ToJsonString(RetrievalCommands.JsonOptions));
                }
                else
                {
                    PrintComparison(reports, kindNames, indexSeconds);
                    if (llmReranker is not null)
                        Console.Out.WriteLine(LlmOptions.Line(llmReranker.TotalUsage));
                }
                return 0;
            }
            var report = reports[0];

            if (parse.GetValue(output) is { } folder)
                WriteOutputs(folder, report, indexSeconds);
            if (parse.GetValue(json))
            {
                var reportJson = RerankingReportFormat.ToJson(report, indexSeconds);
                if (llmReranker is not null)
                    reportJson["usage"] = JsonSerializer.SerializeToNode(LlmOptions.Json(llmReranker.TotalUsage), CliJson.Options);
                Console.Out.WriteLine(reportJson.ToJsonString(RetrievalCommands.JsonOptions));
            }
            else
            {
                Print(report, indexSeconds);
                if (llmReranker is not null)
                    Console.Out.WriteLine(LlmOptions.Line(llmReranker.TotalUsage));
            }
            return 0;
        }
    }

    /// <summary>One comparison object: the first stage's fields and metrics as in a single report, then
    /// <c>rerankers</c>, one entry per reranker with its kind, metrics, relative change and impact.</summary>
    internal static JsonObject ComparisonJson(IReadOnlyList<RerankingReport> reports, IReadOnlyList<string> kinds, double indexSeconds)
    {
        var json = RerankingReportFormat.ToJson(reports[0], indexSeconds);
        json.Remove("reranker");
        json.Remove("relative_improvement");
        json.Remove("impact");
        json["metrics"]!.AsObject().Remove(RerankingReport.RerankedSystem);
        var rows = new JsonArray();
        for (int i = 0; i < reports.Count; i++)
        {
            var one = RerankingReportFormat.ToJson(reports[i], indexSeconds);
            rows.Add(new JsonObject
            {
                ["reranker"] = reports[i].Reranker,
                ["kind"] = kinds[i],
                ["metrics"] = one["metrics"]![RerankingReport.RerankedSystem]!.DeepClone(),
                ["relative_improvement"] = one["relative_improvement"]?.DeepClone(),
                ["impact"] = one["impact"]?.DeepClone(),
            });
        }
        json["rerankers"] = rows;
        return json;
    }

    private static void PrintComparison(IReadOnlyList<RerankingReport> reports, IReadOnlyList<string> kinds, double indexSeconds)
    {
        var console = RetrievalCommands.WideConsole();
        var c = CultureInfo.InvariantCulture;
        var first = reports[0];
        console.WriteLine(string.Create(c, $"{first.Dataset} ({first.Split}): {first.QueryCount} queries; first stage {first.FirstStage} top {first.FirstStageK}; {reports.Count} rerankers over the same candidates"));
        console.WriteLine(string.Create(c, $"index build {indexSeconds:F2} s; first stage {first.MeanStage1Milliseconds:F2} ms/query"));
        var table = new Table().Title("rerankers side by side").AddColumns("reranker", "kind");
        foreach (string metric in first.MetricNames)
            table.AddColumn(metric);
        table.AddColumn("stage-2 ms/query");
        table.AddRow([first.FirstStage, "first stage", .. first.MetricNames.Select(m => first.Metrics[RerankingReport.FirstStageSystem][m].ToString("F4", c)), ""]);
        for (int i = 0; i < reports.Count; i++)
        {
            var r = reports[i];
            table.AddRow([Markup.Escape(r.Reranker ?? ""), kinds[i], .. r.MetricNames.Select(m => r.Metrics[RerankingReport.RerankedSystem][m].ToString("F4", c)),
                (r.Impact?.MeanStage2Milliseconds ?? 0).ToString("F1", c)]);
        }
        console.Write(table);
    }

    internal static IReadOnlyList<int> ParseSweep(string? text, int k)
    {
        if (string.IsNullOrWhiteSpace(text))
            return [];
        var values = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < k)
                throw new CliException($"--sweep takes comma-separated integers of at least --k ({k}); \"{part}\" is not one");
            values.Add(v);
        }
        return values.Distinct().Order().ToList();
    }

    private static void WriteOutputs(string folder, RerankingReport report, double indexSeconds)
    {
        Directory.CreateDirectory(folder);
        WriteText(Path.Combine(folder, "report.json"), RerankingReportFormat.ToJson(report, indexSeconds).ToJsonString(new(RetrievalCommands.JsonOptions) { WriteIndented = true }));
        WriteText(Path.Combine(folder, "report.md"), RerankingReportFormat.ToMarkdown(report, indexSeconds));
        report.FirstStageRun.WriteTrec(Path.Combine(folder, $"{report.FirstStage}.trec"), report.FirstStage);
        report.RerankedRun?.WriteTrec(Path.Combine(folder, $"{report.FirstStage}-reranked.trec"), $"{report.FirstStage}-reranked");
    }

    private static void WriteText(string path, string text) => AtomicFile.WriteAllText(path, text);

    private static void Print(RerankingReport report, double indexSeconds)
    {
        var console = RetrievalCommands.WideConsole();
        var c = CultureInfo.InvariantCulture;
        console.WriteLine(string.Create(c, $"{report.Dataset} ({report.Split}): {report.QueryCount} queries; first stage {report.FirstStage} top {report.FirstStageK}; reranker {report.Reranker ?? "none"}"));
        console.WriteLine(string.Create(c, $"index build {indexSeconds:F2} s; first stage {report.MeanStage1Milliseconds:F2} ms/query = {report.FirstStageQueriesPerSecond:F0} queries/s"));

        bool reranked = report.Reranker is not null;
        var quality = new Table().Title(reranked ? "with vs without reranking" : "first stage");
        quality.AddColumns("metric", "first stage");
        if (reranked)
            quality.AddColumns("reranked", "relative change");
        foreach (string metric in report.MetricNames)
        {
            var row = new List<string> { metric, report.Metrics[RerankingReport.FirstStageSystem][metric].ToString("F4", c) };
            if (reranked)
                row.AddRange([report.Metrics[RerankingReport.RerankedSystem][metric].ToString("F4", c), RerankingReportFormat.Percent(report.RelativeImprovement(metric))]);
            quality.AddRow(row.ToArray());
        }
        console.Write(quality);

        if (report.Impact is { } i)
        {
            var impact = new Table().Title($"reranking impact (final top {report.K})").AddColumns("measure", "value");
            impact.AddRow("mean |rank change|", i.MeanAbsoluteRankChange.ToString("F2", c));
            impact.AddRow("max |rank change|", i.MaxAbsoluteRankChange.ToString(c));
            impact.AddRow("moved up / down / unchanged", string.Create(c, $"{i.PercentMovedUp:F1}% / {i.PercentMovedDown:F1}% / {i.PercentUnchanged:F1}%"));
            impact.AddRow("top-1 changed", string.Create(c, $"{100 * i.Top1ChangeRate:F1}% of queries"));
            impact.AddRow("mean stage-1 latency", string.Create(c, $"{i.MeanStage1Milliseconds:F2} ms"));
            impact.AddRow("mean stage-2 latency", string.Create(c, $"{i.MeanStage2Milliseconds:F2} ms"));
            console.Write(impact);
        }

        if (report.Sweep.Count > 0)
        {
            var names = report.Sweep[0].Metrics.Keys.ToList();
            var sweep = new Table().Title("first-stage K sweep").AddColumn("first-k");
            foreach (string name in names)
                sweep.AddColumn(name);
            sweep.AddColumns("ms/query", "");
            foreach (var row in report.Sweep)
                sweep.AddRow([row.FirstStageK.ToString(c), .. names.Select(n => row.Metrics[n].ToString("F4", c)), row.MeanLatencyMilliseconds.ToString("F1", c), RerankingReportFormat.SweepMarks(row)]);
            console.Write(sweep);
            console.WriteLine(report.Recommendation ?? "");
        }
    }
}
