using RerankKit.Engine;
using RerankKit.Tokenization;
using RerankKit.Training.Data;
using RerankKit.Training.Losses;

namespace RerankKit.Training.Objectives;

/// <summary>Trains a bi-encoder with <see cref="MultipleNegativesRankingLoss"/>: each query against every positive
/// and every mined negative of the batch, on mean- or CLS-pooled embeddings.</summary>
public sealed class BiEncoderObjective : ITrainingObjective
{
    private readonly ITextTokenizer _tokenizer;
    private readonly IReadOnlyList<RankingExample> _rows;
    private readonly int _maxLength;
    private readonly bool _clsPooling;
    private readonly float _scale;

    public BiEncoderObjective(TransformerModel model, ITextTokenizer tokenizer, TrainingDataset data, int maxLength, bool clsPooling = false,
        float scale = MultipleNegativesRankingLoss.DefaultScale)
    {
        Model = model;
        _tokenizer = tokenizer;
        _rows = data.AsRankingExamples();
        if (_rows.Count == 0)
            throw new ArgumentException("MultipleNegativesRankingLoss needs rows with a positive");
        _maxLength = maxLength;
        _clsPooling = clsPooling;
        _scale = scale;
    }

    public TransformerModel Model { get; }

    public int ExampleCount => _rows.Count;

    public (double Loss, int Pairs) Step(IReadOnlyList<int> indices, ParameterSet gradients)
    {
        var rows = indices.Select(i => _rows[i]).ToList();
        var candidates = rows.Select(r => r.Positive).Concat(rows.SelectMany(r => r.Negatives)).ToList();
        var (anchorPass, anchors) = Encode(rows.Select(r => r.Query).ToList(), ForwardOptions.Training);
        var (candidatePass, docs) = Encode(candidates, ForwardOptions.Training);
        int dim = Model.HiddenSize;
        var result = MultipleNegativesRankingLoss.Compute(anchors, docs, dim, _scale);
        Backward(anchorPass, result.Gradient.AsSpan(0, anchors.Length), gradients);
        Backward(candidatePass, result.Gradient.AsSpan(anchors.Length), gradients);
        return (result.Loss, candidates.Count);
    }

    public float[] Score(string query, IReadOnlyList<string> documents)
    {
        const int batchSize = 32;
        var q = Encode([query], ForwardOptions.Inference).Embeddings;
        int dim = Model.HiddenSize;
        var scores = new float[documents.Count];
        for (int start = 0; start < documents.Count; start += batchSize)
        {
            var chunk = documents.Skip(start).Take(batchSize).ToList();
            var d = Encode(chunk, ForwardOptions.Inference).Embeddings;
            for (int i = 0; i < chunk.Count; i++)
                scores[start + i] = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(q, d.AsSpan(i * dim, dim));
        }
        return scores;
    }

    private (ForwardPass Pass, float[] Embeddings) Encode(IReadOnlyList<string> texts, ForwardOptions options)
    {
        var encoded = texts.Select(t => _tokenizer.Encode(t, _maxLength)).ToList();
        var input = EncoderInput.Pad(encoded.Select(e => (IReadOnlyList<int>)e.InputIds).ToList(), _tokenizer.PadTokenId,
            _tokenizer.UsesTokenTypeIds ? encoded.Select(e => (IReadOnlyList<int>)e.TokenTypeIds).ToList() : null);
        var pass = Model.Forward(input, options);
        int b = input.BatchSize, t = input.SequenceLength, h = Model.HiddenSize;
        var pooled = new float[b * h];
        if (_clsPooling)
            Pooling.ClsForward(pass.LastHiddenState, pooled, b, t, h);
        else
            Pooling.MeanForward(pass.LastHiddenState, input.AttentionMask, pooled, b, t, h);
        return (pass, pooled);
    }

    private void Backward(ForwardPass pass, ReadOnlySpan<float> dPooled, ParameterSet gradients)
    {
        var input = pass.Input;
        int b = input.BatchSize, t = input.SequenceLength, h = Model.HiddenSize;
        var dHidden = new float[b * t * h];
        if (_clsPooling)
            Pooling.ClsBackward(dPooled, dHidden, b, t, h);
        else
            Pooling.MeanBackward(dPooled, input.AttentionMask, dHidden, b, t, h);
        Model.Backward(pass, null, dHidden, gradients);
    }
}
