using RerankKit.IO;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
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
        var rerankModel = new Option<string?>("--rerank-model") { Description = "Reranker: cross-encoder, T5 (see --scoring) or ColBERT; without it only the first stage is evaluated" };
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
            if (llm.IsChosen(parse) && parse.GetValue(rerankModel) is not null)
                throw new CliException("give either --rerank-model or --llm-endpoint, not both");
            if (sweepValues.Count > 0 && parse.GetValue(rerankModel) is null && !llm.IsChosen(parse))
                throw new CliException("--sweep compares reranking depths; give --rerank-model (or --llm-endpoint) too");

            var data = BeirDataset.Load(parse.GetValue(dataset)!, parse.GetValue(split)!);
            if (parse.GetValue(limit) is { } n)
                data = data.WithFirstQueries(n);
            using var encoder = embedName is null ? null : RetrievalModels.LoadBiEncoder(embedName, onnxFiles.For(parse, embedName));
            using var colbert = parse.GetValue(colbertModel) is { } cm ? RetrievalCommands.LoadColBert(cm) : null;
            if (kind == FirstStageKind.ColBert && colbert is null)
                throw new CliException("--first-stage colbert needs --colbert-model");
            using var llmReranker = llm.IsChosen(parse) ? llm.Create(parse) : null;
            using var reranker = parse.GetValue(rerankModel) is { } rm ? kinds.LoadForPipeline(parse, rm, new RerankerOptions { BatchSize = parse.GetValue(batchSize), OnnxFile = onnxFiles.For(parse, rm) })
                : llmReranker is not null ? new RerankerCrossEncoder(llmReranker) : null;
            var options = new TwoStageOptions { PredictOptions = new PredictOptions { BatchSize = parse.GetValue(batchSize) } };
            var bm25 = new Bm25Options { K1 = parse.GetValue(k1), B = parse.GetValue(b) };

            var (report, indexSeconds) = RetrievalModels.WithProgress(!parse.GetValue(json), progress =>
            {
                // Whole documents (title + text), as BEIR scores them: no chunking.
                var clock = Stopwatch.StartNew();
                using var index = SearchIndex.Build(data.Corpus, kind is FirstStageKind.Bm25 or FirstStageKind.ColBert ? null : encoder,
                    new SearchIndexOptions { Bm25 = bm25, EncodeOptions = new EncodeOptions { TruncateDim = dims }, ColBert = kind == FirstStageKind.ColBert ? colbert : null }, progress);
                double seconds = clock.Elapsed.TotalSeconds;
                var retriever = RetrievalCommands.CreateRetriever(index, kind, encoder, colbert);
                return (RerankingBenchmark.Run(data, retriever, reranker, depth, cutoff, sweepValues, options, progress), seconds);
            });

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
        });
        return command;
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
