using RerankKit.Evaluation;
using RerankKit.Models;
using RerankKit.Tests.Engine;
using RerankKit.Tests.Infrastructure;
using RerankKit.Training;
using RerankKit.Training.Data;
using RerankKit.Training.Mining;
using Xunit.Abstractions;

namespace RerankKit.Tests.Bundled;

/// <summary>Short seeded training runs on the real all-MiniLM-L6-v2 weights (the bundled ONNX export) and SciFact's
/// train split only: the first queries train (with BM25-mined negatives), the next ones are held out and reranked from
/// their BM25 top 20. The held-out figure is computed by <see cref="RerankingEvaluation"/> (trec_eval semantics)
/// before the first step and after the last, so each run is compared with its own starting point.</summary>
public sealed class RealWeightTrainingTests(ITestOutputHelper output) : IDisposable
{
    private const int TrainQueries = 176;
    private const int HeldOutQueries = 30;
    private const int Candidates = 20;
    private const int MaxLength = 128;

    private readonly ScratchFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_short_fine_tune_of_the_bundled_embedder_improves_held_out_ndcg()
    {
        var (train, heldOut) = SciFactSlice();
        var options = new TrainingOptions { Epochs = 1, BatchSize = 8, LearningRate = 5e-5, MaxLength = MaxLength, Seed = 7 };
        var trainer = Trainer.Create(ModelKind.BiEncoder, RealOnnxModel.Folder(_dir, RealOnnxModel.MiniLm), train, options);
        trainer.Evaluation = heldOut;
        var summary = trainer.Train(Path.Combine(_dir.Path, "embedder"));

        var before = summary.Evaluations[0].Scores;
        var after = summary.Evaluations[^1].Scores;
        output.WriteLine($"embedder, {summary.Steps} steps: held-out nDCG@10 {before.Ndcg10:F4} -> {after.Ndcg10:F4}, MRR@10 {before.Mrr10:F4} -> {after.Mrr10:F4}; BM25 order {heldOut.FirstStage().Ndcg10:F4}");
        Assert.True(summary.Steps >= 20);
        Assert.True(after.Ndcg10 > before.Ndcg10, $"nDCG@10 {before.Ndcg10:F4} -> {after.Ndcg10:F4}");
    }

    [Fact]
    public void A_short_cross_encoder_training_from_the_encoder_beats_its_random_head()
    {
        var (train, heldOut) = SciFactSlice();
        var options = new TrainingOptions { Epochs = 1, BatchSize = 16, LearningRate = 5e-5, MaxLength = MaxLength, Seed = 7, Loss = RerankKit.Training.Objectives.CrossEncoderLoss.Bce };
        var trainer = Trainer.Create(ModelKind.CrossEncoder, RealOnnxModel.Folder(_dir, RealOnnxModel.MiniLm), train, options, initFromEncoder: true);
        Assert.Equal(["classifier.bias", "classifier.weight"], trainer.NewTensors.Order());
        trainer.Evaluation = heldOut;
        var summary = trainer.Train(Path.Combine(_dir.Path, "reranker"));

        var randomHead = summary.Evaluations[0].Scores;
        var trained = summary.Evaluations[^1].Scores;
        output.WriteLine($"cross-encoder, {summary.Steps} steps: held-out nDCG@10 random head {randomHead.Ndcg10:F4} -> trained {trained.Ndcg10:F4}, MRR@10 {randomHead.Mrr10:F4} -> {trained.Mrr10:F4}; BM25 order {heldOut.FirstStage().Ndcg10:F4}");
        Assert.True(summary.Steps >= 20);
        Assert.True(trained.Ndcg10 > randomHead.Ndcg10 + 0.05, $"nDCG@10 {randomHead.Ndcg10:F4} -> {trained.Ndcg10:F4}");
    }

    /// <summary>Training rows (query, positive, one BM25 negative ranked 3-30 among non-positives, skipping the top
    /// ones as likely unlabeled positives) from the first train queries; the next queries' BM25 top 20 held out.</summary>
    private static (TrainingDataset Train, RerankingEvaluation HeldOut) SciFactSlice()
    {
        var dataset = BeirDataset.Load(SharedData.Dataset("scifact"), "train");
        var (queries, corpus) = MiningQueries.FromBeir(dataset);
        using var bm25 = new Bm25CorpusScorer(corpus);
        var mined = HardNegativeMiner.Mine(queries.Take(TrainQueries).ToList(), corpus, bm25,
            new MiningOptions { NumNegatives = 1, RangeMin = 3, RangeMax = 30 });
        var train = TrainingDataset.FromRanking(mined.Rows
            .Where(r => r.Negatives.Count > 0)
            .Select(r => new RankingExample(r.Query.Text, corpus[r.Positive], [corpus[r.Negatives[0].Document]]))
            .ToList());
        var heldOut = RerankingEvaluation.FromCandidates(queries.Skip(TrainQueries).Take(HeldOutQueries).Select(q =>
        {
            var scores = bm25.ScoreAll(q.Text);
            var top = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(Candidates)
                .Select(i => (dataset.Corpus[i].Id, corpus[i], scores[i])).ToList();
            return new EvaluationQuery(q.Id, q.Text, top, q.Positives.ToDictionary(p => dataset.Corpus[p].Id, _ => 1));
        }));
        return (train, heldOut);
    }
}
