using RerankKit.Engine;
using RerankKit.Models;
using RerankKit.Export;
using RerankKit.Inference;
using RerankKit.Training;
using RerankKit.Training.Data;

namespace RerankKit.Tests.Training;

/// <summary>A fine-tuned checkpoint is an ordinary model folder: the library's CrossEncoder / BiEncoder load it on the
/// native engine and, after <c>export-onnx</c>, on ONNX Runtime, and both give the trainer's own scores on pairs as
/// long as it was trained on.</summary>
public sealed class CheckpointServingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rerankkit-serve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly IReadOnlyList<SyntheticRareWordTask.Query> Queries = SyntheticRareWordTask.Generate(12, 2, 41, "s");

    [Fact]
    public void FineTunedRerankerServesTheSameScoresOnNativeAndOnnx()
    {
        string baseFolder = SyntheticRareWordTask.WriteTinyModelFolder(Path.Combine(_dir, "base-r"), ModelKind.CrossEncoder, initializerRange: 0.1);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 4, LearningRate = 1e-3, MaxLength = 32, Loss = RerankKit.Training.Objectives.CrossEncoderLoss.Listwise };
        var trainer = Trainer.Create(ModelKind.CrossEncoder, baseFolder, SyntheticRareWordTask.Training(Queries), options);
        string output = Path.Combine(_dir, "reranker");
        trainer.Train(output);
        OnnxExporter.Export(output);

        var query = Queries[0];
        var documents = query.Negatives.Append(query.Positive).ToList();
        var expected = trainer.Objective.Score(query.Text, documents);
        var pairs = documents.Select(d => (query.Text, d)).ToList();
        var raw = new PredictOptions { ActivationFn = ScoreActivation.Identity };
        NativeEngine.Register();
        using var native = new CrossEncoder(output, new CrossEncoderOptions { Engine = NativeEngine.EngineName });
        using var onnx = new CrossEncoder(output);
        var nativeScores = native.Predict(pairs, raw);
        var onnxScores = onnx.Predict(pairs, raw);
        Assert.Equal(options.MaxLength, native.MaxLength);
        Assert.Equal(options.MaxLength, onnx.MaxLength);
        for (int i = 0; i < documents.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - nativeScores[i]) < 1e-5, $"native {nativeScores[i]} vs trainer {expected[i]}");
            Assert.True(Math.Abs(expected[i] - onnxScores[i]) < 1e-4, $"onnx {onnxScores[i]} vs trainer {expected[i]}");
        }
    }

    [Fact]
    public void FineTunedEmbedderServesTheSameEmbeddingsOnNativeAndOnnx()
    {
        string baseFolder = SyntheticRareWordTask.WriteTinyModelFolder(Path.Combine(_dir, "base-e"), ModelKind.BiEncoder);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 4, LearningRate = 1e-3, MaxLength = 32 };
        var trainer = Trainer.Create(ModelKind.BiEncoder, baseFolder, SyntheticRareWordTask.Training(Queries), options);
        string output = Path.Combine(_dir, "embedder");
        trainer.Train(output);
        OnnxExporter.Export(output);

        var texts = Queries.Take(3).Select(q => q.Positive).Append(Queries[0].Text).ToList();
        var expected = new EngineEmbedder(trainer.Objective.Model, RerankKit.Tokenization.TokenizerFactory.FromFolder(output), 32).Encode(texts);
        NativeEngine.Register();
        using var native = new BiEncoder(output, new BiEncoderOptions { Engine = NativeEngine.EngineName });
        using var onnx = new BiEncoder(output);
        var normalized = new EncodeOptions { NormalizeEmbeddings = true };
        var nativeVectors = native.Encode(texts, normalized);
        var onnxVectors = onnx.Encode(texts, normalized);
        int dim = native.Dimension;
        for (int t = 0; t < texts.Count; t++)
            for (int k = 0; k < dim; k++)
            {
                Assert.True(Math.Abs(expected[t * dim + k] - nativeVectors[t][k]) < 1e-5, $"native text {t} dim {k}");
                Assert.True(Math.Abs(expected[t * dim + k] - onnxVectors[t][k]) < 1e-4, $"onnx text {t} dim {k}");
            }
    }
}
