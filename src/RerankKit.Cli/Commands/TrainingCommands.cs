using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RerankKit.Engine;
using RerankKit.Evaluation;
using RerankKit.Hub;
using RerankKit.Models;
using RerankKit.Training;
using RerankKit.Training.Data;
using RerankKit.Training.Mining;
using RerankKit.Training.Objectives;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary><c>rerankkit mine</c> (hard negatives) and <c>rerankkit train reranker|embedder</c>.</summary>
internal static class TrainingCommands
{
    public static Command Mine()
    {
        var dataset = new Option<string>("--dataset") { Description = "BEIR folder (corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv)", Required = true };
        var split = new Option<string>("--split") { Description = "Qrels split whose queries and positives are mined", DefaultValueFactory = _ => "train" };
        var firstStage = new Option<string>("--first-stage") { Description = "bm25 or dense", DefaultValueFactory = _ => "bm25" };
        firstStage.AcceptOnlyFromAmong("bm25", "dense");
        var embedModel = new Option<string?>("--embed-model") { Description = "Bi-encoder folder or hub id for --first-stage dense" };
        var numNegatives = new Option<int>("--num-negatives") { Description = "Negatives per (query, positive)", DefaultValueFactory = _ => 5 };
        var rangeMin = new Option<int>("--range-min") { Description = "Skip this many best non-positive candidates", DefaultValueFactory = _ => 0 };
        var rangeMax = new Option<int>("--range-max") { Description = "Consider candidates up to this rank", DefaultValueFactory = _ => 50 };
        var margin = new Option<float?>("--margin", "--absolute-margin") { Description = "absolute_margin: negatives score at least this much below the positive" };
        var relativeMargin = new Option<float?>("--relative-margin") { Description = "relative_margin: negatives score at most (1 - this) x the positive's score" };
        var maxScore = new Option<float?>("--max-score") { Description = "Candidates scoring above this are not negatives" };
        var minScore = new Option<float?>("--min-score") { Description = "Candidates scoring below this are not negatives" };
        var sampling = new Option<string>("--sampling") { Description = "top or random", DefaultValueFactory = _ => "top" };
        sampling.AcceptOnlyFromAmong("top", "random");
        var format = new Option<string>("--format") { Description = "triplet, n-tuple or labeled-pair", DefaultValueFactory = _ => "triplet" };
        format.AcceptOnlyFromAmong("triplet", "n-tuple", "labeled-pair");
        var seed = new Option<int>("--seed") { Description = "Seed of --sampling random", DefaultValueFactory = _ => 12 };
        var output = new Option<string>("--out") { Description = "JSONL file to write", Required = true }.OutputFile();
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON" };
        var command = new Command("mine", "Mine hard negatives from a first stage, like sentence-transformers' mine_hard_negatives")
        {
            dataset, split, firstStage, embedModel, numNegatives, rangeMin, rangeMax, margin, relativeMargin, maxScore, minScore, sampling, format, seed, output, json,
        };
        command.SetAction(parse =>
        {
            var options = new MiningOptions
            {
                NumNegatives = parse.GetValue(numNegatives),
                RangeMin = parse.GetValue(rangeMin),
                RangeMax = parse.GetValue(rangeMax),
                Margin = parse.GetValue(margin),
                RelativeMargin = parse.GetValue(relativeMargin),
                MaxScore = parse.GetValue(maxScore),
                MinScore = parse.GetValue(minScore),
                Sampling = parse.GetValue(sampling) == "random" ? SamplingStrategy.Random : SamplingStrategy.Top,
                Format = TrainingFormatNames.Parse(parse.GetValue(format)!),
                Seed = (ulong)parse.GetValue(seed),
            };
            var beir = BeirDataset.Load(parse.GetValue(dataset)!, parse.GetValue(split)!);
            var (queries, corpus) = MiningQueries.FromBeir(beir);
            ICorpusScorer scorer;
            if (parse.GetValue(firstStage) == "dense")
            {
                string modelId = parse.GetValue(embedModel) ?? throw new CliException("--first-stage dense needs --embed-model");
                string model = ModelOptions.Load(modelId, hub => ModelLocator.Resolve(modelId, ModelFiles.For(NativeWeights.InPreferenceOrder), hub));
                scorer = WithProgress($"embedding {corpus.Count:N0} documents", corpus.Count,
                    progress => new DenseCorpusScorer(EngineEmbedder.FromFolder(model), corpus, progress));
            }
            else
                scorer = new Bm25CorpusScorer(corpus);
            var result = WithProgress($"mining {queries.Count:N0} queries", queries.Count,
                progress => HardNegativeMiner.Mine(queries, corpus, scorer, options, progress));
            (scorer as IDisposable)?.Dispose();
            var rows = result.OutputRows().ToList();
            string path = parse.GetValue(output)!;
            TrainingDataset.Write(path, rows);
            PrintMiningSummary(result, rows.Count, path, parse.GetValue(json));
            return 0;
        });
        return command;
    }

    public static Command Train()
    {
        var train = new Command("train", "Fine-tune a reranker or an embedder on the native engine");
        train.Subcommands.Add(TrainCommand(ModelKind.CrossEncoder));
        train.Subcommands.Add(TrainCommand(ModelKind.BiEncoder));
        return train;
    }

    private static Command TrainCommand(ModelKind kind)
    {
        bool reranker = kind == ModelKind.CrossEncoder;
        var baseModel = new Option<string>("--base-model") { Description = "Hugging Face folder or hub id to start from (config-only folder: random weights)", Required = true };
        var initFromEncoder = new Option<bool>("--init-from-encoder") { Description = "Keep only the base's encoder (and pooler) and add a new one-label classification head" };
        var trainFile = new Option<string>("--train") { Description = "Training JSONL (triplet, n-tuple or labeled-pair rows)", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder (final model; best/ and last-checkpoint/ inside)", Required = true }.OutputFolder();
        var loss = new Option<string>("--loss") { Description = "bce, listwise or mnrl", DefaultValueFactory = _ => "bce" };
        loss.AcceptOnlyFromAmong("bce", "listwise", "mnrl");
        var posWeight = new Option<double>("--pos-weight") { Description = "BCE weight of positive pairs (PyTorch pos_weight); sentence-transformers uses the negatives per positive", DefaultValueFactory = _ => 1 };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 1 };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per step", DefaultValueFactory = _ => 16 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => 2e-5 };
        var warmup = new Option<double>("--warmup-ratio") { DefaultValueFactory = _ => 0.1 };
        var weightDecay = new Option<double>("--weight-decay") { DefaultValueFactory = _ => 0.01 };
        var maxGradNorm = new Option<double>("--max-grad-norm") { DefaultValueFactory = _ => 1.0 };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per sequence", DefaultValueFactory = _ => 256 };
        var evalDataset = new Option<string?>("--eval-dataset") { Description = "BEIR folder: rerank its BM25 top-k and report MRR@10 / nDCG@10" };
        var evalSplit = new Option<string?>("--eval-split") { Description = "Held-out qrels split used to pick the best checkpoint (never the split you report on)" };
        var evalTopK = new Option<int>("--eval-top-k") { Description = "BM25 candidates per evaluation query", DefaultValueFactory = _ => 20 };
        var evalMaxQueries = new Option<int?>("--eval-max-queries") { Description = "Evaluate on the first N queries only" };
        var evalSteps = new Option<int>("--eval-steps") { Description = "Evaluate every N steps (0: each epoch)", DefaultValueFactory = _ => 0 };
        var saveSteps = new Option<int>("--save-steps") { Description = "Write the resumable checkpoint every N steps (0: at evaluations)", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
        var resume = new Option<bool>("--resume") { Description = "Continue from OUT/last-checkpoint" };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON" };
        var command = new Command(reranker ? "reranker" : "embedder", reranker
            ? "Train a cross-encoder (BCE, listwise softmax or MNRL loss)"
            : "Train a bi-encoder with MultipleNegativesRankingLoss (in-batch + mined negatives)")
        {
            baseModel, trainFile, output, epochs, batchSize, lr, warmup, weightDecay, maxGradNorm, maxLength,
            evalDataset, evalSplit, evalTopK, evalMaxQueries, evalSteps, saveSteps, seed, resume, json,
        };
        if (reranker)
        {
            command.Options.Add(loss);
            command.Options.Add(posWeight);
            command.Options.Add(initFromEncoder);
        }
        command.SetAction(parse =>
        {
            var options = new TrainingOptions
            {
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                LearningRate = parse.GetValue(lr),
                WarmupRatio = parse.GetValue(warmup),
                WeightDecay = parse.GetValue(weightDecay),
                MaxGradNorm = parse.GetValue(maxGradNorm),
                MaxLength = parse.GetValue(maxLength),
                Seed = parse.GetValue(seed),
                EvalSteps = parse.GetValue(evalSteps),
                SaveSteps = parse.GetValue(saveSteps),
                PosWeight = parse.GetValue(posWeight),
                Loss = parse.GetValue(loss) switch { "listwise" => CrossEncoderLoss.Listwise, "mnrl" => CrossEncoderLoss.Mnrl, _ => CrossEncoderLoss.Bce },
            };
            var data = TrainingDataset.Load(parse.GetValue(trainFile)!);
            string baseId = parse.GetValue(baseModel)!;
            string baseFolder = ModelOptions.Load(baseId, hub => ModelLocator.Resolve(baseId, ModelFiles.For(NativeWeights.InPreferenceOrder), hub));
            var trainer = Trainer.Create(kind, baseFolder, data, options, reranker && parse.GetValue(initFromEncoder));
            if (trainer.NewTensors.Count > 0)
                Console.Error.WriteLine($"new (seeded) tensors: {string.Join(", ", trainer.NewTensors)}");
            if (parse.GetValue(evalDataset) is { } evalFolder)
            {
                // Picking the best checkpoint on a split is training on it; make the user name a held-out one.
                string split = parse.GetValue(evalSplit) ?? throw new CliException("--eval-dataset needs --eval-split: a held-out split (e.g. part of train), not the test split you report on");
                trainer.Evaluation = RerankingEvaluation.FromBeir(evalFolder, split, parse.GetValue(evalTopK), parse.GetValue(evalMaxQueries));
            }
            bool asJson = parse.GetValue(json);
            var firstStage = trainer.Evaluation?.FirstStage();
            if (firstStage is not null && !asJson)
                Console.Error.WriteLine($"first stage (BM25 order): MRR@10 {firstStage.Mrr10:F4}  nDCG@10 {firstStage.Ndcg10:F4}");

            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                var summary = RunWithProgress(trainer, parse.GetValue(output)!, parse.GetValue(resume), cancel.Token);
                PrintTrainingSummary(summary, firstStage, asJson);
            }
            catch (OperationCanceledException)
            {
                throw new CliException($"interrupted; resume with --resume from {Path.Combine(parse.GetValue(output)!, Trainer.LastCheckpointFolderName)}");
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            return 0;
        });
        return command;
    }

    private static TrainingSummary RunWithProgress(Trainer trainer, string output, bool resume, CancellationToken cancellationToken)
    {
        void LogEvaluation(EvaluationReport r) => Console.Error.WriteLine(
            $"step {r.Step}: MRR@10 {r.Scores.Mrr10:F4}  nDCG@10 {r.Scores.Ndcg10:F4}{(r.IsBest ? "  (best, saved)" : "")}");
        if (Console.IsErrorRedirected)
        {
            // Without a terminal a progress bar cannot redraw; log about fifty plain lines instead.
            long every = Math.Max(1, trainer.TotalSteps / 50);
            var lines = new InlineProgress<TrainingProgress>(p =>
            {
                if (p.Step % every == 0 || p.Step == p.TotalSteps)
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"epoch {p.Epoch} step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} {p.PairsPerSecond:F0} pairs/s lr {p.LearningRate:E2}"));
            });
            return trainer.Train(output, resume, lines, LogEvaluation, cancellationToken);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        TrainingSummary? summary = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: trainer.TotalSteps);
                var progress = new InlineProgress<TrainingProgress>(p =>
                {
                    task.Value = p.Step;
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"epoch {p.Epoch} step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} {p.PairsPerSecond:F0} pairs/s lr {p.LearningRate:E2}"));
                });
                summary = trainer.Train(output, resume, progress, r => console.MarkupLine(Markup.Escape(
                    $"step {r.Step}: MRR@10 {r.Scores.Mrr10:F4}  nDCG@10 {r.Scores.Ndcg10:F4}{(r.IsBest ? "  (best, saved)" : "")}")), cancellationToken);
            });
        return summary!;
    }

    private static void PrintTrainingSummary(TrainingSummary s, EvaluationScores? firstStage, bool asJson)
    {
        if (asJson)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                steps = s.Steps,
                final_loss = s.FinalLoss,
                pairs_per_second = s.PairsPerSecond,
                output = s.OutputFolder,
                best = s.BestFolder,
                first_stage = firstStage is null ? null : new { mrr_at_10 = firstStage.Mrr10, ndcg_at_10 = firstStage.Ndcg10 },
                evaluations = s.Evaluations.Select(e => new { step = e.Step, mrr_at_10 = e.Scores.Mrr10, ndcg_at_10 = e.Scores.Ndcg10, best = e.IsBest }),
            }));
            return;
        }
        var table = new Table().AddColumn("step").AddColumn("MRR@10").AddColumn("nDCG@10").AddColumn("");
        if (firstStage is not null)
            table.AddRow("BM25", F(firstStage.Mrr10), F(firstStage.Ndcg10), "first stage");
        foreach (var e in s.Evaluations)
            table.AddRow(e.Step.ToString(CultureInfo.InvariantCulture), F(e.Scores.Mrr10), F(e.Scores.Ndcg10), e.Step == 0 ? "before training" : e.IsBest ? "best" : "");
        if (s.Evaluations.Count > 0)
            AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{s.Steps} steps, final loss {s.FinalLoss:F4}, {s.PairsPerSecond:F0} pairs/s; model: {s.OutputFolder}{(s.BestFolder is null ? "" : $"; best: {s.BestFolder}")}")));
    }

    private static void PrintMiningSummary(MiningResult r, int written, string path, bool asJson)
    {
        var stats = new[] { ("positive", r.PositiveScores), ("negative", r.NegativeScores), ("difference", r.Differences) };
        if (asJson)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                first_stage = r.FirstStage,
                queries = r.Queries,
                rows = r.Rows.Count,
                negatives = r.NegativeCount,
                written,
                skipped_by_margin = r.SkippedByMargin,
                rows_without_enough_negatives = r.RowsWithoutEnoughNegatives,
                positives_not_retrieved = r.PositivesNotRetrieved,
                output = path,
                scores = stats.ToDictionary(s => s.Item1, s => Describe(s.Item2)),
            }));
            return;
        }
        var table = new Table().AddColumn("metric").AddColumn("positive").AddColumn("negative").AddColumn("difference");
        var described = stats.Select(s => Describe(s.Item2)).ToArray();
        foreach (var key in new[] { "count", "mean", "median", "std", "min", "max" })
            table.AddRow(key, described[0][key], described[1][key], described[2][key]);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{r.FirstStage}: {r.Queries:N0} queries, {r.Rows.Count:N0} (query, positive) rows, {r.NegativeCount:N0} negatives; " +
            $"{r.PositivesNotRetrieved:N0} positives not retrieved by {r.FirstStage}; {r.SkippedByMargin:N0} candidates skipped by the margin; {r.RowsWithoutEnoughNegatives:N0} rows found fewer than {r.Options.NumNegatives} negatives; " +
            $"wrote {written:N0} {r.Options.Format.Name()} rows to {path}"));
    }

    /// <summary>Count and spread of the finite scores (a positive BM25 does not retrieve has no score to describe).</summary>
    private static Dictionary<string, string> Describe(IReadOnlyList<float> all)
    {
        var values = all.Where(float.IsFinite).ToList();
        if (values.Count == 0)
            return new() { ["count"] = "0", ["mean"] = "-", ["median"] = "-", ["std"] = "-", ["min"] = "-", ["max"] = "-" };
        var sorted = values.Order().ToArray();
        double mean = sorted.Average(v => (double)v);
        double std = Math.Sqrt(sorted.Average(v => (v - mean) * (v - mean)));
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2.0;
        return new()
        {
            ["count"] = sorted.Length.ToString(CultureInfo.InvariantCulture),
            ["mean"] = F(mean),
            ["median"] = F(median),
            ["std"] = F(std),
            ["min"] = F(sorted[0]),
            ["max"] = F(sorted[^1]),
        };
    }

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);

    private static T WithProgress<T>(string label, int total, Func<IProgress<int>, T> work)
    {
        if (Console.IsErrorRedirected)
            return work(new InlineProgress<int>(_ => { }));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Progress().Start(ctx =>
        {
            var task = ctx.AddTask(Markup.Escape(label), maxValue: Math.Max(total, 1));
            result = work(new InlineProgress<int>(done => task.Value = done));
        });
        return result;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool out of order).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
