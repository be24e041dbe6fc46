using RerankKit.IO;
using System.Diagnostics;
using System.Text.Json.Nodes;
using RerankKit.Engine;
using RerankKit.Models;
using RerankKit.Tokenization;
using RerankKit.Training.Checkpoints;
using RerankKit.Training.Data;
using RerankKit.Training.Objectives;
using RerankKit.Training.Optimization;

namespace RerankKit.Training;

/// <summary>Fine-tunes a reranker or an embedder on the native engine: shuffled batches per epoch (seeded), AdamW with
/// decoupled weight decay, linear warm-up then decay, global-norm clipping, periodic reranking evaluation with the
/// best checkpoint kept in <c>OUT/best</c>, a resumable checkpoint in <c>OUT/last-checkpoint</c> (weights, AdamW
/// moments, step and generator state) and the final model in <c>OUT</c>, all Hugging Face folders.</summary>
public sealed class Trainer
{
    public const string BestFolderName = "best";
    public const string LastCheckpointFolderName = "last-checkpoint";

    private readonly ITrainingObjective _objective;
    private readonly TrainingOptions _options;
    private readonly JsonObject _configJson;
    private readonly string _baseFolder;
    private readonly ModelKind _kind;

    public Trainer(ITrainingObjective objective, TrainingOptions options, JsonObject configJson, string baseFolder, ModelKind kind)
    {
        if (options.BatchSize <= 0 || options.Epochs <= 0)
            throw new ArgumentException("--batch-size and --epochs must be positive");
        if (options.LearningRate <= 0 || options.WarmupRatio is < 0 or > 1)
            throw new ArgumentException("--lr must be positive and --warmup-ratio in [0, 1]");
        _objective = objective;
        _options = options;
        _configJson = configJson;
        _baseFolder = baseFolder;
        _kind = kind;
    }

    /// <summary>Loads the base model (weights, or random for a config-only folder) and its tokenizer and builds the
    /// objective for <paramref name="kind"/>. <paramref name="initFromEncoder"/> (reranker only) keeps just the base's
    /// encoder and gives it a new one-label classification head (see <see cref="BaseModel"/>).</summary>
    public static Trainer Create(ModelKind kind, string baseModelFolder, TrainingDataset data, TrainingOptions options, bool initFromEncoder = false)
    {
        if (!Directory.Exists(baseModelFolder))
            throw new DirectoryNotFoundException($"base model folder not found: {baseModelFolder}");
        var baseModel = BaseModel.Load(baseModelFolder, kind, options.Seed, initFromEncoder);
        var tokenizer = TokenizerFactory.FromFolder(baseModelFolder);
        ITrainingObjective objective = kind == ModelKind.CrossEncoder
            ? new CrossEncoderObjective(baseModel.Model, tokenizer, data, options.Loss, options.MaxLength, options.PosWeight)
            : new BiEncoderObjective(baseModel.Model, tokenizer, data, options.MaxLength, SentenceTransformersFolder.UsesClsPooling(baseModelFolder));
        return new Trainer(objective, options, baseModel.ConfigJson, baseModelFolder, kind) { NewTensors = baseModel.NewTensors };
    }

    /// <summary>Parameters drawn fresh rather than read from the base model (a new head, a pooler the base lacked).</summary>
    public IReadOnlyList<string> NewTensors { get; init; } = [];

    public ITrainingObjective Objective => _objective;

    /// <summary>Evaluated before training, then every <see cref="TrainingOptions.EvalSteps"/> (or each epoch).</summary>
    public RerankingEvaluation? Evaluation { get; set; }

    public long StepsPerEpoch => (_objective.ExampleCount + _options.BatchSize - 1) / _options.BatchSize;

    public long TotalSteps => StepsPerEpoch * _options.Epochs;

    /// <summary>Runs training into <paramref name="outputFolder"/>. On cancellation the resumable checkpoint is written
    /// before <see cref="OperationCanceledException"/> propagates; <paramref name="resume"/> continues from it.</summary>
    public TrainingSummary Train(string outputFolder, bool resume = false, IProgress<TrainingProgress>? progress = null,
        Action<EvaluationReport>? onEvaluation = null, CancellationToken cancellationToken = default)
    {
        var model = _objective.Model;
        var gradients = model.Parameters.ZerosLike();
        var trainables = model.Parameters.Select((p, i) => new TrainableParameter(p.Name, p.Data, gradients[i].Data)).ToList();
        var optimizer = new AdamW(trainables, new AdamWOptions { LearningRate = _options.LearningRate, WeightDecay = _options.WeightDecay });
        var schedule = LinearWarmupSchedule.FromRatio(_options.LearningRate, _options.WarmupRatio, TotalSteps);
        string lastFolder = Path.Combine(outputFolder, LastCheckpointFolderName);
        string bestFolder = Path.Combine(outputFolder, BestFolderName);

        var random = new SeededRandom((ulong)_options.Seed);
        int startEpoch = 0, startStep = 0;
        long step = 0;
        double? best = null;
        var losses = new List<double>();
        var evaluations = new List<EvaluationReport>();
        if (resume)
        {
            // A crash mid-swap leaves the previous checkpoint renamed aside; a half-built staging folder is ignored
            // here and replaced by the next checkpoint.
            AtomicFolder.Recover(lastFolder);
            var state = TrainerState.Load(lastFolder);
            if (state.BatchSize != _options.BatchSize || state.Examples != _objective.ExampleCount || state.TotalSteps != TotalSteps)
                throw new ArgumentException($"{lastFolder} was written for {state.Examples} examples, batch size {state.BatchSize}, {state.TotalSteps} steps; this run has {_objective.ExampleCount}, {_options.BatchSize}, {TotalSteps}");
            LoadWeights(model, lastFolder);
            OptimizerState.Restore(lastFolder, optimizer, state.GlobalStep);
            random = SeededRandom.FromState(state.EpochRngState);
            (startEpoch, startStep, step, best) = (state.Epoch, state.StepInEpoch, state.GlobalStep, state.BestNdcg);
            losses.AddRange(state.LossHistory);
        }
        else
        {
            Directory.CreateDirectory(outputFolder);
            if (Evaluation is not null)
                Evaluate(0, null, bestFolder, evaluations, onEvaluation, candidate: false);
        }

        var clock = new Stopwatch();
        long pairs = 0;
        for (int epoch = startEpoch; epoch < _options.Epochs; epoch++)
        {
            var epochState = random.State;
            var shuffled = Enumerable.Range(0, _objective.ExampleCount).ToList();
            random.Shuffle(shuffled);
            var order = NoDuplicatesBatches.Arrange(shuffled, _options.BatchSize, _objective.DistinctTexts);
            for (int s = epoch == startEpoch ? startStep : 0; s < StepsPerEpoch; s++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    SaveResumable(lastFolder, optimizer, step, epoch, s, epochState, best, losses);
                    cancellationToken.ThrowIfCancellationRequested();
                }
                var batch = order.Skip(s * _options.BatchSize).Take(_options.BatchSize).ToList();
                clock.Start();
                gradients.Clear();
                var (loss, scored) = _objective.Step(batch, gradients);
                GradientClipping.ClipGlobalNorm(trainables, _options.MaxGradNorm);
                double lr = schedule.LearningRateAt(step);
                optimizer.Update(lr);
                clock.Stop();
                step++;
                pairs += scored;
                losses.Add(loss);
                progress?.Report(new TrainingProgress(step, TotalSteps, epoch + 1, losses.TakeLast(20).Average(), pairs / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), lr));
                if (Evaluation is not null && _options.EvalSteps > 0 && step % _options.EvalSteps == 0)
                    best = Evaluate(step, best, bestFolder, evaluations, onEvaluation, candidate: true);
                bool evaluated = _options.EvalSteps > 0 && step % _options.EvalSteps == 0;
                if ((_options.SaveSteps > 0 && step % _options.SaveSteps == 0) || (_options.SaveSteps == 0 && evaluated))
                    SaveResumable(lastFolder, optimizer, step, epoch, s + 1, epochState, best, losses);
            }
            if (Evaluation is not null && _options.EvalSteps == 0)
                best = Evaluate(step, best, bestFolder, evaluations, onEvaluation, candidate: true);
            if (_options.SaveSteps == 0 && epoch + 1 < _options.Epochs)
                SaveResumable(lastFolder, optimizer, step, epoch + 1, 0, random.State, best, losses);
        }
        SaveResumable(lastFolder, optimizer, step, _options.Epochs, 0, random.State, best, losses);
        WriteModel(outputFolder);
        return new TrainingSummary(step, losses.Count > 0 ? losses[^1] : double.NaN, pairs / Math.Max(clock.Elapsed.TotalSeconds, 1e-9),
            losses, evaluations, outputFolder, evaluations.Any(e => e.IsBest) ? bestFolder : null);
    }

    /// <summary>Evaluates; a <paramref name="candidate"/> evaluation that beats <paramref name="best"/> nDCG@10 writes
    /// the best checkpoint. Returns the best nDCG@10 so far (the untrained baseline is reported, never kept).</summary>
    private double? Evaluate(long step, double? best, string bestFolder, List<EvaluationReport> evaluations, Action<EvaluationReport>? onEvaluation, bool candidate)
    {
        var scores = Evaluation!.Rerank(_objective.Score);
        bool isBest = candidate && (best is null || scores.Ndcg10 > best);
        if (isBest)
            WriteBest(bestFolder);
        var report = new EvaluationReport(step, scores, isBest);
        evaluations.Add(report);
        onEvaluation?.Invoke(report);
        return isBest ? scores.Ndcg10 : best;
    }

    private void WriteModel(string folder) =>
        CheckpointWriter.Write(folder, _objective.Model, _configJson, _baseFolder, _kind, _options.MaxLength);

    private void WriteBest(string folder) =>
        CheckpointWriter.WriteCheckpoint(folder, _objective.Model, _configJson, _baseFolder, _kind, _options.MaxLength);

    private void SaveResumable(string folder, AdamW optimizer, long step, int epoch, int stepInEpoch, ulong[] epochState, double? best, List<double> losses) =>
        CheckpointWriter.WriteCheckpoint(folder, _objective.Model, _configJson, _baseFolder, _kind, _options.MaxLength, staging =>
        {
            OptimizerState.Save(staging, optimizer, _objective.Model);
            new TrainerState
            {
                GlobalStep = step,
                TotalSteps = TotalSteps,
                Epoch = epoch,
                StepInEpoch = stepInEpoch,
                EpochRngState = epochState,
                BestNdcg = best,
                LossHistory = losses.ToArray(),
                BatchSize = _options.BatchSize,
                Examples = _objective.ExampleCount,
            }.Save(staging);
        });

    private static void LoadWeights(TransformerModel model, string folder)
    {
        using var file = SafetensorsFile.Open(Path.Combine(folder, "model.safetensors"));
        foreach (var p in model.Parameters)
            file.ReadFloat32(p.Name).CopyTo(p.Data, 0);
    }
}
