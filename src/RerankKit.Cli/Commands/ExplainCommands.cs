using System.CommandLine;
using System.Text.Json;
using RerankKit.Explain;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>explain</c> and <c>explain-batch</c>: why a cross-encoder scores pairs as it does, on the native engine.</summary>
internal static class ExplainCommands
{
    public const int SomePairsFailed = 1;

    public static IEnumerable<Command> All() => [Explain(), ExplainBatch()];

    private sealed class CommonOptions
    {
        public Option<string> Model { get; } = new("--model", "-m") { Description = "Cross-encoder folder or hub id; the native engine reads its model.safetensors or onnx/model.onnx", Required = true };
        public Option<string> Out { get; } = new Option<string>("--out", "-o") { Description = "Folder to write the figures, explain.json and report.html into", Required = true }.OutputFolder();
        public Option<int?> Layer { get; } = new("--layer") { Description = "Layer whose heads are drawn, counted from 1 (default: the last)" };
        public Option<int> Steps { get; } = new("--steps") { Description = "Integrated-gradients steps (trapezoid rule)", DefaultValueFactory = _ => IntegratedGradients.DefaultSteps };
        public Option<int?> MaxLength { get; } = new("--max-length") { Description = "Longest pair in tokens (default from the model's tokenizer_config.json)" };
        public Option<int> TopK { get; } = new("--top-k") { Description = "Tokens named in the top-token lists", DefaultValueFactory = _ => 10 };

        public void AddTo(Command command)
        {
            foreach (Option o in new Option[] { Model, Out, Layer, Steps, MaxLength, TopK })
                command.Add(o);
        }

        public ExplainOptions Options(ParseResult parse) => new()
        {
            Steps = parse.GetValue(Steps),
            TopK = parse.GetValue(TopK),
        };

        /// <summary>The 0-based layer, checked against the model.</summary>
        public int? LayerIndex(ParseResult parse, PairExplainer explainer)
        {
            if (parse.GetValue(Layer) is not { } number)
                return null;
            int layers = explainer.Model.Config.NumHiddenLayers;
            if (number < 1 || number > layers)
                throw new CliException($"--layer {number} does not exist: the model has layers 1 to {layers}");
            return number - 1;
        }

        public PairExplainer Load(ParseResult parse)
        {
            string model = parse.GetValue(Model)!;
            var kind = ColBertExplain.KindOf(model);
            ColBertExplain.RefuseT5(kind);
            if (kind == RerankerKind.ColBert)
                throw new CliException("explain-batch explains cross-encoders; use explain for a ColBERT model's MaxSim alignment");
            int? maxLength = parse.GetValue(MaxLength);
            return ModelOptions.Load(model, hub => PairExplainer.Load(model, maxLength, hub));
        }
    }

    private static Command Explain()
    {
        var common = new CommonOptions();
        var query = new Option<string>("--query", "-q") { Description = "The query", Required = true };
        var doc = new Option<string>("--doc", "-d") { Description = "The document", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the score, completeness check, top tokens and files as JSON" };
        var tokens = new Option<int[]>("--trajectory-tokens") { Description = "Token positions (0 = [CLS]) whose hidden states the trajectory follows; default: the 5 most salient", AllowMultipleArgumentsPerToken = true };
        var command = new Command("explain", "Explain one (query, document) score: attention per head and layer, rollout, gradient saliency, "
            + "gradient x input, integrated gradients, hidden-state trajectories; writes PNG/GIF figures, explain.json and report.html. "
            + "A ColBERT model gets its MaxSim alignment (maxsim.png, maxsim.json); T5 models are refused");
        common.AddTo(command);
        command.Add(query);
        command.Add(doc);
        command.Add(json);
        command.Add(tokens);
        command.SetAction(parse =>
        {
            var options = common.Options(parse) with { TrajectoryTokens = parse.GetValue(tokens) is { Length: > 0 } chosen ? chosen : null };
            string model = parse.GetValue(common.Model)!, folder = parse.GetValue(common.Out)!;
            var kind = ColBertExplain.KindOf(model);
            ColBertExplain.RefuseT5(kind);
            if (kind == RerankerKind.ColBert)
                return ColBertExplain.Run(model, parse.GetValue(query)!, parse.GetValue(doc)!, folder, parse.GetValue(json));
            var explainer = common.Load(parse);
            int? layer = common.LayerIndex(parse, explainer);
            bool asJson = parse.GetValue(json);
            var (explanation, files) = ConsoleProgress.Run(!asJson, progress =>
            {
                var e = explainer.Explain(parse.GetValue(query)!, parse.GetValue(doc)!, options with { Progress = progress });
                progress?.Report(("Figures, explain.json, report.html", 0));
                var written = ExplanationWriter.Write(e, folder, layer, model, options.TopK);
                progress?.Report(("Figures, explain.json, report.html", 1));
                return (e, written);
            });
            if (asJson)
                PrintJson(explanation, files, options.TopK);
            else
                PrintSummary(explanation, files, options.TopK);
            return 0;
        });
        return command;
    }

    private static Command ExplainBatch()
    {
        var common = new CommonOptions();
        var pairs = new Option<string>("--pairs") { Description = "JSON Lines of {\"query\", \"document\"[, \"id\"]}; ids default to q1_d1, q1_d2, ...", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON line per pair (id, status, score, error) and a summary line" };
        var command = new Command("explain-batch", "Explain many pairs: a folder per pair, index.html comparing them and summary.csv. "
            + "Pairs that fail are listed at the end and the exit code is 1 if any failed");
        common.AddTo(command);
        command.Add(pairs);
        command.Add(json);
        command.SetAction(parse =>
        {
            var options = common.Options(parse);
            string model = parse.GetValue(common.Model)!, folder = parse.GetValue(common.Out)!;
            var (requests, unreadable) = ReadPairs(parse.GetValue(pairs)!);
            if (requests.Count == 0 && unreadable.Count == 0)
                throw new CliException($"{parse.GetValue(pairs)} has no pairs");
            var explainer = common.Load(parse);
            int? layer = common.LayerIndex(parse, explainer);
            var batch = new BatchExplainer(explainer);
            bool asJson = parse.GetValue(json);
            var entries = ConsoleProgress.Run(!asJson, progress => batch.Run(requests, folder, options, layer, model,
                (done, _) => progress?.Report(($"Explaining {requests.Count} pairs", done / (double)requests.Count)), unreadable));
            var failures = entries.Where(e => !e.Succeeded).Select(e => (e.Pair.Id, e.Error!)).ToList();
            if (asJson)
            {
                foreach (var e in entries)
                    CliJson.WriteLine(new { id = e.Pair.Id, status = e.Succeeded ? "ok" : "failed", score = e.Explanation?.Score, error = e.Error });
                CliJson.WriteLine(new { explained = entries.Count(e => e.Succeeded), failed = failures.Count, index = Path.Combine(folder, BatchExplainer.IndexFile), summary = Path.Combine(folder, BatchExplainer.SummaryFile) });
            }
            else
                PrintBatch(entries, failures, folder);
            return failures.Count > 0 ? SomePairsFailed : 0;
        });
        return command;
    }

    /// <summary>Reads the pairs file. A line that is not a JSON object with string query and document fails on its
    /// own (reported with its line number) rather than stopping the batch.</summary>
    private static (IReadOnlyList<PairToExplain> Pairs, List<(string Id, string Error)> Unreadable) ReadPairs(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"pairs file not found: {path}");
        var raw = new List<(string? Id, string Query, string Document)>();
        var unreadable = new List<(string, string)>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    throw new InvalidDataException("expected a JSON object");
                string? id = root.TryGetProperty("id", out var i) ? i.ValueKind switch
                {
                    JsonValueKind.String => i.GetString(),
                    JsonValueKind.Number => i.GetRawText(),
                    _ => null,
                } : null;
                raw.Add((id, Field(root, "query"), Field(root, "document")));
            }
            catch (Exception e) when (e is JsonException or InvalidDataException)
            {
                unreadable.Add(($"line{number}", $"{path}:{number}: {e.Message}"));
            }
        }
        return (PairIds.Assign(raw), unreadable);
    }

    private static string Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new InvalidDataException($"missing string field \"{name}\"");

    private static void PrintSummary(Explanation e, IReadOnlyList<WrittenFile> files, int topK)
    {
        var console = CliOutput.Stdout();
        var ig = e.IntegratedGradients;
        // Plain lines: Spectre wraps markup at the console width, which would split the check across lines in logs.
        Console.Out.WriteLine($"score (raw logit) {e.Score:0.000000}   {e.Length} tokens, {e.NumLayers} layers x {e.NumHeads} heads");
        Console.Out.WriteLine($"integrated gradients completeness: sum of attributions {ig.AttributionSum:0.000000} vs score(input) - score(baseline) = "
            + $"{ig.InputScore:0.000000} - {ig.BaselineScore:0.000000} = {ig.ScoreDelta:0.000000} (relative error {100 * ig.CompletenessError:0.###}%, {ig.Steps} steps)");
        var table = new Table().AddColumns("#", "integrated gradients", "gradient x input", "saliency", "attention rollout");
        var lists = new[] { ig.Attributions, e.GradientTimesInput, e.Saliency, e.Rollout }.Select(v => (v, e.TopTokens(v, topK))).ToArray();
        for (int k = 0; k < topK; k++)
            table.AddRow(new[] { (k + 1).ToString() }.Concat(lists.Select(l => k < l.Item2.Count
                ? Markup.Escape($"{e.Tokens[l.Item2[k]]} ({l.Item2[k]}) {l.v[l.Item2[k]]:0.0000}") : "")).ToArray());
        console.Write(table);
        console.MarkupLine("[dim]Attention weights are not explanations; read the gradient columns first.[/]");
        foreach (var f in files)
            console.WriteLine(f.Width is null ? f.Path : $"{f.Path} ({f.Width}x{f.Height}{(f.Frames > 1 ? $", {f.Frames} frames" : "")})");
    }

    private static void PrintJson(Explanation e, IReadOnlyList<WrittenFile> files, int topK)
    {
        var ig = e.IntegratedGradients;
        object Top(double[] values) => e.TopTokens(values, topK).Select(i => new { position = i, token = e.Tokens[i], value = values[i] }).ToArray();
        CliJson.WriteLine(new
        {
            score = e.Score,
            tokens = e.Length,
            integrated_gradients_completeness = new
            {
                steps = ig.Steps,
                attribution_sum = ig.AttributionSum,
                input_score = ig.InputScore,
                baseline_score = ig.BaselineScore,
                score_delta = ig.ScoreDelta,
                relative_error = double.IsFinite(ig.CompletenessError) ? ig.CompletenessError : (double?)null,
            },
            top_tokens = new
            {
                integrated_gradients = Top(ig.Attributions),
                gradient_times_input = Top(e.GradientTimesInput),
                saliency = Top(e.Saliency),
                rollout = Top(e.Rollout),
            },
            files = files.Select(f => new { path = f.Path, width = f.Width, height = f.Height, frames = f.Frames }).ToArray(),
        });
    }

    private static void PrintBatch(IReadOnlyList<BatchEntry> entries, List<(string Id, string Error)> failures, string folder)
    {
        var console = CliOutput.Stdout();
        var table = new Table().AddColumns("id", "score", "top tokens (saliency)", "IG error");
        foreach (var e in entries.Where(e => e.Succeeded))
        {
            var x = e.Explanation!;
            table.AddRow(Markup.Escape(e.Pair.Id), $"{x.Score:0.0000}", Markup.Escape(string.Join(" ", x.TopTokens(x.Saliency, 5).Select(i => x.Tokens[i]))),
                $"{100 * x.IntegratedGradients.CompletenessError:0.##}%");
        }
        console.Write(table);
        console.WriteLine($"{entries.Count(e => e.Succeeded)} explained, {failures.Count} failed; index {Path.Combine(folder, BatchExplainer.IndexFile)}, summary {Path.Combine(folder, BatchExplainer.SummaryFile)}");
        if (failures.Count > 0)
        {
            console.MarkupLine("[red]Failed pairs:[/]");
            foreach (var (id, error) in failures)
                console.WriteLine($"  {id}: {error}");
        }
    }

}
