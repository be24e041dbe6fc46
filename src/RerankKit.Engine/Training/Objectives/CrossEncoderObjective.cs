using RerankKit.Engine;
using RerankKit.Numerics;
using RerankKit.Tokenization;
using RerankKit.Training.Data;
using RerankKit.Training.Losses;

namespace RerankKit.Training.Objectives;

public enum CrossEncoderLoss
{
    /// <summary>Binary cross-entropy on labeled pairs (ranking rows become positive + negative pairs).</summary>
    Bce,

    /// <summary>Softmax cross-entropy over a query's positive and its mined negatives.</summary>
    Listwise,

    /// <summary>sentence-transformers' cross-encoder <c>MultipleNegativesRankingLoss</c>: softmax cross-entropy over
    /// 10 × sigmoid(logit) of the positive, the mined negatives and up to 4 other queries' positives in the batch.</summary>
    Mnrl,
}

/// <summary>Trains a cross-encoder's single logit with one of <see cref="CrossEncoderLoss"/>.</summary>
public sealed class CrossEncoderObjective : ITrainingObjective
{
    private const int InBatchNegatives = 4;
    private const float MnrlScale = 10f;

    private readonly ITextTokenizer _tokenizer;
    private readonly CrossEncoderLoss _loss;
    private readonly int _maxLength;
    private readonly IReadOnlyList<LabeledPair> _pairs = [];
    private readonly IReadOnlyList<RankingExample> _rows = [];
    private readonly int _negativesPerRow;
    private readonly double _posWeight;

    public CrossEncoderObjective(TransformerModel model, ITextTokenizer tokenizer, TrainingDataset data, CrossEncoderLoss loss, int maxLength,
        double posWeight = 1)
    {
        if (model.NumLabels != 1)
            throw new ArgumentException("a reranker is trained with one output logit (num_labels = 1)");
        Model = model;
        _tokenizer = tokenizer;
        _loss = loss;
        _maxLength = maxLength;
        _posWeight = posWeight;
        if (loss == CrossEncoderLoss.Bce)
            _pairs = data.AsLabeledPairs();
        else
        {
            _rows = data.AsRankingExamples();
            if (_rows.Count == 0)
                throw new ArgumentException($"the {loss} loss needs rows with a positive");
            // Every query's list must have the same length for one softmax per row; take the smallest row's count.
            _negativesPerRow = _rows.Min(r => r.Negatives.Count);
            if (loss == CrossEncoderLoss.Listwise && _negativesPerRow == 0)
                throw new ArgumentException("the listwise loss needs at least one negative in every row");
        }
    }

    public TransformerModel Model { get; }

    public int ExampleCount => _loss == CrossEncoderLoss.Bce ? _pairs.Count : _rows.Count;

    public (double Loss, int Pairs) Step(IReadOnlyList<int> indices, ParameterSet gradients)
    {
        if (_loss == CrossEncoderLoss.Bce)
        {
            var batch = indices.Select(i => _pairs[i]).ToList();
            var (pass, logits) = Forward(batch.Select(p => (p.Query, p.Document)).ToList(), ForwardOptions.Training);
            var result = BinaryCrossEntropyLoss.Compute(logits, batch.Select(p => p.Label).ToArray(), _posWeight);
            Model.Backward(pass, result.Gradient, null, gradients, inputGradients: false);
            return (result.Loss, batch.Count);
        }

        var rows = indices.Select(i => _rows[i]).ToList();
        int others = _loss == CrossEncoderLoss.Mnrl ? Math.Min(InBatchNegatives, rows.Count - 1) : 0;
        int perRow = 1 + _negativesPerRow + others;
        var texts = new List<(string, string)>(rows.Count * perRow);
        var labels = new float[rows.Count * perRow];
        for (int r = 0; r < rows.Count; r++)
        {
            labels[r * perRow] = 1f;
            texts.Add((rows[r].Query, rows[r].Positive));
            texts.AddRange(rows[r].Negatives.Take(_negativesPerRow).Select(n => (rows[r].Query, n)));
            for (int o = 1; o <= others; o++)
                texts.Add((rows[r].Query, rows[(r + o) % rows.Count].Positive));
        }
        var (listPass, raw) = Forward(texts, ForwardOptions.Training);
        if (_loss == CrossEncoderLoss.Listwise)
        {
            var listwise = ListwiseSoftmaxLoss.Compute(raw, labels, perRow);
            Model.Backward(listPass, listwise.Gradient, null, gradients, inputGradients: false);
            return (listwise.Loss, texts.Count);
        }
        var sigmoid = raw.Select(z => Logistic.Sigmoid(z)).ToArray();
        var scaled = sigmoid.Select(s => MnrlScale * s).ToArray();
        var mnrl = ListwiseSoftmaxLoss.Compute(scaled, labels, perRow);
        var dLogits = new float[raw.Length];
        for (int i = 0; i < raw.Length; i++)
            dLogits[i] = mnrl.Gradient[i] * MnrlScale * sigmoid[i] * (1 - sigmoid[i]);
        Model.Backward(listPass, dLogits, null, gradients, inputGradients: false);
        return (mnrl.Loss, texts.Count);
    }

    public IEnumerable<string> DistinctTexts(int index) =>
        _loss == CrossEncoderLoss.Mnrl ? [_rows[index].Query, _rows[index].Positive] : [];

    public float[] Score(string query, IReadOnlyList<string> documents)
    {
        const int batchSize = 32;
        var scores = new float[documents.Count];
        for (int start = 0; start < documents.Count; start += batchSize)
        {
            var chunk = documents.Skip(start).Take(batchSize).Select(d => (query, d)).ToList();
            Forward(chunk, ForwardOptions.Inference).Logits.CopyTo(scores, start);
        }
        return scores;
    }

    private (ForwardPass Pass, float[] Logits) Forward(IReadOnlyList<(string Query, string Document)> pairs, ForwardOptions options)
    {
        var encoded = pairs.Select(p => _tokenizer.EncodePair(p.Query, p.Document, _maxLength)).ToList();
        var input = EncoderInput.Pad(encoded, _tokenizer);
        var pass = Model.Forward(input, options);
        return (pass, pass.Logits!);
    }
}
