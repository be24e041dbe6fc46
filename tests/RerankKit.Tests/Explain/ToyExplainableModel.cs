using RerankKit.Explain;
using RerankKit.Models;
using RerankKit.Tokenization;

namespace RerankKit.Tests.Explain;

/// <summary>A small model with an analytic gradient, for testing the explanation plumbing without the engine:
/// score = sum_t c_t tanh(w . (x_t + p_t)) + b over word embeddings x and position vectors p. Its attentions are
/// softmax(x_i . x_j / sqrt(H)) per head with head-specific scales, and its hidden states are tanh of scaled inputs;
/// they do not feed the score, which is all the plumbing needs.</summary>
internal sealed class ToyExplainableModel : IExplainableModel
{
    private readonly float[] table;
    private readonly float[] positions;
    private readonly float[] w;
    private readonly float[] c;
    private const float Bias = 0.25f;

    public ToyExplainableModel(int vocab = 64, int hidden = 8, int layers = 2, int heads = 2, int maxPositions = 64, int seed = 7)
    {
        var random = new Random(seed);
        float Next() => (float)(random.NextDouble() * 2 - 1);
        table = Enumerable.Range(0, vocab * hidden).Select(_ => Next()).ToArray();
        positions = Enumerable.Range(0, maxPositions * hidden).Select(_ => 0.3f * Next()).ToArray();
        w = Enumerable.Range(0, hidden).Select(_ => Next()).ToArray();
        c = Enumerable.Range(0, maxPositions).Select(_ => Next()).ToArray();
        Config = new ModelConfig
        {
            ModelType = "bert",
            Architectures = ["BertForSequenceClassification"],
            HiddenSize = hidden,
            NumHiddenLayers = layers,
            NumAttentionHeads = heads,
            VocabSize = vocab,
            MaxPositionEmbeddings = maxPositions,
        };
    }

    public ModelConfig Config { get; }

    private int H => Config.HiddenSize;

    public float[] WordEmbeddings(IReadOnlyList<int> inputIds) =>
        inputIds.SelectMany(id => table.AsSpan(id * H, H).ToArray()).ToArray();

    public ForwardTrace Forward(EncodedInput input, float[]? wordEmbeddings = null, bool keepAll = true)
    {
        var x = wordEmbeddings ?? WordEmbeddings(input.InputIds);
        int t = input.Length;
        var hiddenStates = new List<float[]>();
        var attentions = new List<float[]>();
        for (int l = 0; l <= Config.NumHiddenLayers; l++)
            hiddenStates.Add(x.Select((v, k) => MathF.Tanh((l + 1) * 0.5f * v + positions[k])).ToArray());
        for (int l = 0; l < Config.NumHiddenLayers; l++)
        {
            var a = new float[Config.NumAttentionHeads * t * t];
            for (int h = 0; h < Config.NumAttentionHeads; h++)
                for (int i = 0; i < t; i++)
                {
                    var row = new double[t];
                    for (int j = 0; j < t; j++)
                    {
                        double dot = 0;
                        for (int k = 0; k < H; k++) dot += hiddenStates[l][i * H + k] * hiddenStates[l][j * H + k];
                        row[j] = (h + 1) * dot / Math.Sqrt(H);
                    }
                    double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
                    for (int j = 0; j < t; j++) a[(h * t + i) * t + j] = (float)(Math.Exp(row[j] - max) / sum);
                }
            attentions.Add(a);
        }
        return new ForwardTrace(Score(x, t), keepAll ? hiddenStates : [], keepAll ? attentions : []);
    }

    public ScoreGradient Gradient(EncodedInput input, float[]? wordEmbeddings = null)
    {
        var x = wordEmbeddings ?? WordEmbeddings(input.InputIds);
        int t = input.Length;
        var gradient = new float[t * H];
        for (int i = 0; i < t; i++)
        {
            double th = Math.Tanh(Pre(x, i));
            for (int k = 0; k < H; k++)
                gradient[i * H + k] = (float)(c[i] * (1 - th * th) * w[k]);
        }
        return new ScoreGradient(Score(x, t), gradient);
    }

    private float Score(float[] x, int t)
    {
        double s = Bias;
        for (int i = 0; i < t; i++) s += c[i] * Math.Tanh(Pre(x, i));
        return (float)s;
    }

    private double Pre(float[] x, int i)
    {
        double dot = 0;
        for (int k = 0; k < H; k++) dot += w[k] * ((double)x[i * H + k] + positions[i * H + k]);
        return dot;
    }
}

/// <summary>Splits on spaces and numbers words by a stable hash; <c>[PAD]</c> 0, <c>[CLS]</c> 1, <c>[SEP]</c> 2.</summary>
internal sealed class ToyTokenizer(int vocab = 64) : ITextTokenizer
{
    public int PadTokenId => 0;

    public bool UsesTokenTypeIds => true;

    public EncodedInput Encode(string text, int maxLength) => throw new NotSupportedException();

    public EncodedInput EncodePair(string first, string second, int maxLength)
    {
        var a = Words(first);
        var b = Words(second);
        while (a.Length + b.Length + 3 > maxLength)
            if (a.Length > b.Length) a = a[..^1]; else b = b[..^1];
        string[] tokens = ["[CLS]", .. a, "[SEP]", .. b, "[SEP]"];
        var ids = tokens.Select(Id).ToArray();
        var types = tokens.Select((_, i) => i <= a.Length + 1 ? 0 : 1).ToArray();
        return new EncodedInput(ids, types, tokens);
    }

    private static string[] Words(string text) => text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private int Id(string token) => token switch
    {
        "[PAD]" => 0,
        "[CLS]" => 1,
        "[SEP]" => 2,
        _ => 3 + (int)((uint)token.Aggregate(17, (h, ch) => h * 31 + ch) % (uint)(vocab - 3)),
    };
}
