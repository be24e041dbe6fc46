using RerankKit.Engine;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;
using RerankKit.Tokenization;
using RerankKit.Training;
using RerankKit.Training.Data;
using RerankKit.Training.Objectives;

namespace RerankKit.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rerankkit-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A fixture's config and tokenizer files without its weights: training starts from random weights.</summary>
    private string ConfigOnly(string fixture)
    {
        string source = SharedData.Fixture(fixture);
        string folder = Path.Combine(_dir, fixture + "-config-only");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(source).Where(f => !f.EndsWith(".safetensors", StringComparison.Ordinal) && !f.EndsWith("golden.json", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        if (Directory.Exists(Path.Combine(source, "1_Pooling")))
        {
            Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
            File.Copy(Path.Combine(source, "1_Pooling", "config.json"), Path.Combine(folder, "1_Pooling", "config.json"));
        }
        return folder;
    }

    private string TinyFolder(ModelKind kind, double initializerRange = 0.1) =>
        SyntheticRareWordTask.WriteTinyModelFolder(Path.Combine(_dir, $"tiny-{kind}-{initializerRange}"), kind, initializerRange: initializerRange);

    private static readonly TrainingDataset HandfulOfPairs = TrainingDataset.FromPairs(
    [
        new LabeledPair("what is the capital of france", "paris is the capital of france", 1f),
        new LabeledPair("what is the capital of france", "berlin is a city in germany", 0f),
        new LabeledPair("how do plants make food", "plants use photosynthesis to make sugar", 1f),
        new LabeledPair("how do plants make food", "the stock market fell today", 0f),
    ]);

    [Theory]
    [InlineData(CrossEncoderLoss.Bce)]
    [InlineData(CrossEncoderLoss.Listwise)]
    public void OverfittingAHandfulOfPairsDrivesTheLossNearZero(CrossEncoderLoss loss)
    {
        var options = new TrainingOptions { Epochs = 80, BatchSize = 4, LearningRate = 5e-3, WarmupRatio = 0.1, Loss = loss, Seed = 1 };
        var trainer = Trainer.Create(ModelKind.CrossEncoder, ConfigOnly("tiny-xlmr-reranker"), HandfulOfPairs, options);
        var summary = trainer.Train(Path.Combine(_dir, "out"));
        Assert.True(summary.LossHistory[0] > 0.3, $"initial loss {summary.LossHistory[0]}");
        Assert.True(summary.FinalLoss < 0.02, $"final loss {summary.FinalLoss}");
    }

    [Fact]
    public void ASavedCheckpointReloadsWithIdenticalScores()
    {
        var options = new TrainingOptions { Epochs = 3, BatchSize = 2, LearningRate = 1e-3, Seed = 2 };
        string folder = ConfigOnly("tiny-xlmr-reranker");
        var trainer = Trainer.Create(ModelKind.CrossEncoder, folder, HandfulOfPairs, options);
        string output = Path.Combine(_dir, "xlmr-out");
        trainer.Train(output);

        var documents = HandfulOfPairs.Pairs.Select(p => p.Document).ToList();
        var inMemory = trainer.Objective.Score("capital of france", documents);
        var reloaded = new CrossEncoderObjective(TransformerModel.Load(output), TokenizerFactory.FromFolder(output), HandfulOfPairs, CrossEncoderLoss.Bce, 256)
            .Score("capital of france", documents);
        Assert.Equal(inMemory, reloaded);
        foreach (var file in new[] { "config.json", "model.safetensors", "tokenizer_config.json", "sentencepiece.bpe.model" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        // Trained weights differ from the seeded initialisation they started from.
        var fresh = Trainer.Create(ModelKind.CrossEncoder, folder, HandfulOfPairs, options).Objective.Score("capital of france", documents);
        Assert.NotEqual(fresh, inMemory);
    }

    [Fact]
    public void TrainingResumedFromItsCheckpointContinuesTheSameCurve()
    {
        var data = SyntheticRareWordTask.Training(SyntheticRareWordTask.Generate(24, 2, 5, "r"));
        var options = new TrainingOptions { Epochs = 2, BatchSize = 4, LearningRate = 2e-3, Loss = CrossEncoderLoss.Listwise, Seed = 9 };
        string folder = TinyFolder(ModelKind.CrossEncoder);

        var straight = Trainer.Create(ModelKind.CrossEncoder, folder, data, options).Train(Path.Combine(_dir, "straight"));
        Assert.Equal(12, straight.Steps);

        string interruptedOut = Path.Combine(_dir, "interrupted");
        using var cancel = new CancellationTokenSource();
        var stopAtSeven = new SynchronousProgress(p =>
        {
            if (p.Step == 7)
                cancel.Cancel();
        });
        Assert.Throws<OperationCanceledException>(() =>
            Trainer.Create(ModelKind.CrossEncoder, folder, data, options).Train(interruptedOut, progress: stopAtSeven, cancellationToken: cancel.Token));
        var resumed = Trainer.Create(ModelKind.CrossEncoder, folder, data, options).Train(interruptedOut, resume: true);

        Assert.Equal(straight.LossHistory, resumed.LossHistory);
        var probe = data.Ranking.Take(3).Select(r => r.Positive).ToList();
        Assert.Equal(
            new CrossEncoderObjective(TransformerModel.Load(Path.Combine(_dir, "straight")), TokenizerFactory.FromFolder(folder), data, CrossEncoderLoss.Bce, 256).Score("q", probe),
            new CrossEncoderObjective(TransformerModel.Load(interruptedOut), TokenizerFactory.FromFolder(folder), data, CrossEncoderLoss.Bce, 256).Score("q", probe));
    }

    [Fact]
    public void RerankerFromRandomWeightsLearnsTheRareWordTask()
    {
        var train = SyntheticRareWordTask.Generate(1500, 3, 11, "train");
        var heldOut = SyntheticRareWordTask.Generate(40, 9, 12, "test");
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, LearningRate = 5e-3, Loss = CrossEncoderLoss.Listwise, Seed = 3, MaxLength = 32 };
        var trainer = Trainer.Create(ModelKind.CrossEncoder, TinyFolder(ModelKind.CrossEncoder), SyntheticRareWordTask.Training(train), options);
        trainer.Evaluation = SyntheticRareWordTask.Evaluation(heldOut);
        var summary = trainer.Train(Path.Combine(_dir, "rare-reranker"));
        var before = summary.Evaluations[0].Scores;
        var after = summary.Evaluations[^1].Scores;
        Assert.True(before.Mrr10 < 0.5, $"untrained MRR@10 {before.Mrr10}");
        Assert.True(after.Mrr10 >= 0.9, $"trained MRR@10 {after.Mrr10} (losses {string.Join(", ", summary.LossHistory.Select(l => l.ToString("F3")))})");
        Assert.True(File.Exists(Path.Combine(summary.BestFolder!, "model.safetensors")));
    }

    [Fact]
    public void EmbedderFromRandomWeightsLearnsTheRareWordTask()
    {
        var train = SyntheticRareWordTask.Generate(240, 1, 21, "train");
        var heldOut = SyntheticRareWordTask.Generate(40, 9, 22, "test");
        var options = new TrainingOptions { Epochs = 6, BatchSize = 16, LearningRate = 2e-3, Seed = 4, MaxLength = 32 };
        var trainer = Trainer.Create(ModelKind.BiEncoder, TinyFolder(ModelKind.BiEncoder, 0.02), SyntheticRareWordTask.Training(train), options);
        trainer.Evaluation = SyntheticRareWordTask.Evaluation(heldOut);
        var summary = trainer.Train(Path.Combine(_dir, "rare-embedder"));
        var after = summary.Evaluations[^1].Scores;
        Assert.True(after.Mrr10 >= 0.9, $"trained MRR@10 {after.Mrr10} (baseline {summary.Evaluations[0].Scores.Mrr10})");
        foreach (var file in new[] { "modules.json", "1_Pooling/config.json", "sentence_bert_config.json", "vocab.txt", "tokenizer_config.json" })
            Assert.True(File.Exists(Path.Combine(summary.OutputFolder, file)), file);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the test needs the callback on the training thread.</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
