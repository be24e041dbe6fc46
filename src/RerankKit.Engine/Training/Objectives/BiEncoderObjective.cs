using RerankKit.Engine;
using RerankKit.Tokenization;
using RerankKit.Training.Data;
using RerankKit.Training.Losses;

namespace RerankKit.Training.Objectives;

/// <summary>Trains a bi-encoder with <see cref="MultipleNegativesRankingLoss"/>: each query against every positive
/// and every mined negative of the batch, on mean- or CLS-pooled embeddings.</summary>
public sealed class BiEncoderObjective : ITrainingObjective
{
    private readonly EngineEmbedder _embedder;
    private readonly IReadOnlyList<RankingExample> _rows;
    private readonly float _scale;

    public BiEncoderObjective(TransformerModel model, ITextTokenizer tokenizer, TrainingDataset data, int maxLength, bool clsPooling = false,
        float scale = MultipleNegativesRankingLoss.DefaultScale)
    {
        Model = model;
        _embedder = new EngineEmbedder(model, tokenizer, maxLength, clsPooling);
        _rows = data.AsRankingExamples();
        if (_rows.Count == 0)
            throw new ArgumentException("MultipleNegativesRankingLoss needs rows with a positive");
        _scale = scale;
    }

    public TransformerModel Model { get; }

    public int ExampleCount => _rows.Count;

    public (double Loss, int Pairs) Step(IReadOnlyList<int> indices, ParameterSet gradients)
    {
        var rows = indices.Select(i => _rows[i]).ToList();
        var candidates = rows.Select(r => r.Positive).Concat(rows.SelectMany(r => r.Negatives)).ToList();
        var anchors = _embedder.Pool(rows.Select(r => r.Query).ToList(), ForwardOptions.Training);
        var docs = _embedder.Pool(candidates, ForwardOptions.Training);
        int dim = Model.HiddenSize;
        var result = MultipleNegativesRankingLoss.Compute(anchors.Pooled, docs.Pooled, dim, _scale);
        _embedder.PoolBackward(anchors, result.Gradient.AsSpan(0, anchors.Pooled.Length), gradients);
        _embedder.PoolBackward(docs, result.Gradient.AsSpan(anchors.Pooled.Length), gradients);
        return (result.Loss, candidates.Count);
    }

    public IEnumerable<string> DistinctTexts(int index) => [_rows[index].Query, _rows[index].Positive, .. _rows[index].Negatives];

    public float[] Score(string query, IReadOnlyList<string> documents)
    {
        const int batchSize = 32;
        var q = _embedder.Pool([query], ForwardOptions.Inference).Pooled;
        int dim = Model.HiddenSize;
        var scores = new float[documents.Count];
        for (int start = 0; start < documents.Count; start += batchSize)
        {
            var chunk = documents.Skip(start).Take(batchSize).ToList();
            var d = _embedder.Pool(chunk, ForwardOptions.Inference).Pooled;
            for (int i = 0; i < chunk.Count; i++)
                scores[start + i] = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(q, d.AsSpan(i * dim, dim));
        }
        return scores;
    }
}
