using System.Text.Json;
using RerankKit.Diagnostics;
using RerankKit.Hub;
using RerankKit.Inference;
using RerankKit.Models;
using RerankKit.Tokenization;

namespace RerankKit.Seq2Seq;

/// <summary>A T5 encoder-decoder reranker (monoT5, RankT5 or duoT5, as <see cref="T5Scoring"/> says) on ONNX Runtime,
/// scored from the first decoding step as castorini/pygaggle and AnswerDotAI's rerankers do. Inputs are batched by
/// length as for cross-encoders. Safe for concurrent callers.</summary>
public sealed class Seq2SeqReranker : IReranker, ITokenizedModel
{
    /// <summary>The longest input pygaggle and rerankers give T5, <c>&lt;/s&gt;</c> included.</summary>
    public const int DefaultMaxLength = 512;

    private readonly T5OnnxBackend _backend;
    private readonly Seq2SeqRerankerOptions _options;

    // [▁false, ▁true, <extra_id_10>]: read together from one decoder step.
    private readonly int[] _scoreTokens;

    internal Seq2SeqReranker(string modelName, string folder, ITextTokenizer tokenizer, T5OnnxBackend backend, Seq2SeqRerankerOptions options)
    {
        if (options.BatchSize < 1)
            throw new ArgumentException($"batch size must be at least 1, not {options.BatchSize}");
        if (options.DuoTopK is < 2)
            throw new ArgumentException($"duo top-k must be at least 2 (one pair), not {options.DuoTopK}");
        ModelName = modelName;
        Folder = folder;
        Tokenizer = tokenizer;
        _backend = backend;
        _options = options;
        MaxLength = options.MaxLength ?? DefaultMaxLength;
        if (MaxLength < 2)
            throw new ArgumentException($"max length must be at least 2 (one token and </s>), not {MaxLength}");
        _scoreTokens = options.Scoring == T5Scoring.RankT5
            ? T5Vocabulary.IdsOf(folder, "▁false", "▁true", "<extra_id_10>")
            : T5Vocabulary.IdsOf(folder, "▁false", "▁true");
    }

    /// <summary>Loads a T5 reranker from a folder or a hub id (config, tokenizer and the optimum encoder and decoder).</summary>
    public static async Task<Seq2SeqReranker> LoadAsync(string modelNameOrPath, Seq2SeqRerankerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new Seq2SeqRerankerOptions();
        using var activity = RerankKitTelemetry.ActivitySource.StartActivity("rerankkit.load");
        activity?.SetTag("rerankkit.model", modelNameOrPath);
        var files = new ModelFiles(["config.json", T5OnnxBackend.EncoderFile, T5OnnxBackend.DecoderFile], ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]);
        string folder = await ModelLocator.ResolveAsync(modelNameOrPath, files, options.Hub, options.Logger, cancellationToken).ConfigureAwait(false);
        return Open(modelNameOrPath, folder, TokenizerFactory.FromFolder(folder), options);
    }

    /// <summary>A resolved folder with the given tokenizer (tests give the goldens' ids without one).</summary>
    internal static Seq2SeqReranker Open(string modelName, string folder, ITextTokenizer tokenizer, Seq2SeqRerankerOptions options)
    {
        var backend = new T5OnnxBackend(folder, options.BackendSettings, DecoderStartTokenId(folder));
        try
        {
            return new Seq2SeqReranker(modelName, Path.GetFullPath(folder), tokenizer, backend, options);
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }

    public string ModelName { get; }

    public string Folder { get; }

    public ITextTokenizer Tokenizer { get; }

    public T5Scoring Scoring => _options.Scoring;

    public string ScoreKind => T5ScoringNames.Name(Scoring);

    /// <summary>Longest input in tokens, <c>&lt;/s&gt;</c> included.</summary>
    public int MaxLength { get; }

    /// <summary>The text T5 reads for (query, document) under monoT5 or RankT5.</summary>
    public string FormatPointwise(string query, string document) => Scoring switch
    {
        T5Scoring.MonoT5 => $"Query: {query} Document: {document} Relevant:",
        T5Scoring.RankT5 => $"Query: {query} Document: {document}",
        _ => throw new InvalidOperationException("duoT5 compares two documents; use FormatPair"),
    };

    /// <summary>The duoT5 text asking whether <paramref name="document0"/> is more relevant than <paramref name="document1"/>.</summary>
    public static string FormatPair(string query, string document0, string document1) =>
        $"Query: {query} Document0: {document0} Document1: {document1} Relevant:";

    /// <summary>The tokens of one formatted input: cut on the right to <see cref="MaxLength"/> − 1, then <c>&lt;/s&gt;</c>,
    /// as the Hugging Face T5 tokenizer does with <c>truncation=True</c>. A long document loses its end, " Relevant:"
    /// included, as in pygaggle.</summary>
    public EncodedInput Tokenize(string text) => Tokenizer.Encode(text, MaxLength);

    /// <summary>monoT5: log P(true) per document; RankT5: the <c>&lt;extra_id_10&gt;</c> logit; in input order.</summary>
    public float[] Score(string query, IReadOnlyList<string> documents, CancellationToken cancellationToken = default)
    {
        var inputs = documents.Select(d => Tokenize(FormatPointwise(query, d)).InputIds).ToArray();
        return ScoreIds(inputs, cancellationToken);
    }

    /// <summary>duoT5: P(document i more relevant than document j), [i][j] for i ≠ j (the diagonal is 0).</summary>
    public float[][] PairProbabilities(string query, IReadOnlyList<string> documents, CancellationToken cancellationToken = default)
    {
        if (Scoring != T5Scoring.DuoT5)
            throw new InvalidOperationException($"pair probabilities are duoT5's; this reranker scores as {ScoreKind}");
        var pairs = OrderedPairs(documents.Count);
        var inputs = pairs.Select(p => Tokenize(FormatPair(query, documents[p.I], documents[p.J])).InputIds).ToArray();
        var logits = StepLogits(inputs, cancellationToken);
        var probabilities = new float[documents.Count][];
        for (int i = 0; i < documents.Count; i++)
            probabilities[i] = new float[documents.Count];
        for (int p = 0; p < pairs.Length; p++)
            probabilities[pairs[p].I][pairs[p].J] = MathF.Exp(LogPTrue(logits[p]));
        return probabilities;
    }

    /// <summary>pygaggle's sym-sum: score(i) = Σ_{j≠i} p(i&gt;j) + (1 − p(j&gt;i)).</summary>
    public static float[] SymSum(float[][] probabilities)
    {
        int n = probabilities.Length;
        var scores = new float[n];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int j = 0; j < n; j++)
            {
                if (j != i)
                    sum += probabilities[i][j] + (1.0 - probabilities[j][i]);
            }
            scores[i] = (float)sum;
        }
        return scores;
    }

    public Task<IReadOnlyList<RankedDocument>> RankAsync(string query, IReadOnlyList<string> documents, int? topK = null,
        CancellationToken cancellationToken = default)
    {
        if (topK is < 0)
            throw new ArgumentException($"top_k must not be negative, not {topK}");
        return Task.Run(() => Rank(query, documents, topK, cancellationToken), cancellationToken);
    }

    private IReadOnlyList<RankedDocument> Rank(string query, IReadOnlyList<string> documents, int? topK, CancellationToken cancellationToken)
    {
        if (documents.Count == 0)
            return [];
        float[] scores;
        if (Scoring == T5Scoring.DuoT5)
        {
            // Only the first DuoTopK take part in the O(k²) comparisons; the rest keep their order below them,
            // with no score (NaN sorts last and is shown as null), as pygaggle appends mono's tail after duo's top.
            int k = Math.Min(documents.Count, _options.DuoTopK ?? documents.Count);
            scores = new float[documents.Count];
            Array.Fill(scores, float.NaN);
            SymSum(PairProbabilities(query, documents.Take(k).ToArray(), cancellationToken)).CopyTo(scores, 0);
        }
        else
        {
            scores = Score(query, documents, cancellationToken);
        }
        var ranked = Enumerable.Range(0, documents.Count)
            .OrderByDescending(i => float.IsNaN(scores[i]) ? float.NegativeInfinity : scores[i])
            .ThenBy(i => i)
            .Select(i => new RankedDocument(i, scores[i], documents[i]));
        return (topK is { } top ? ranked.Take(top) : ranked).ToList();
    }

    /// <summary>Scores of already tokenized monoT5 or RankT5 inputs, in input order.</summary>
    internal float[] ScoreIds(IReadOnlyList<int[]> inputIds, CancellationToken cancellationToken)
    {
        var logits = StepLogits(inputIds, cancellationToken);
        return logits.Select(l => Scoring == T5Scoring.RankT5 ? l[2] : LogPTrue(l)).ToArray();
    }

    /// <summary>The first step's logits of [▁false, ▁true(, &lt;extra_id_10&gt;)] per input, in input order, batched by length.</summary>
    internal float[][] StepLogits(IReadOnlyList<int[]> inputIds, CancellationToken cancellationToken)
    {
        var result = new float[inputIds.Count][];
        if (inputIds.Count == 0)
            return result;
        var encoded = inputIds.Select(ids => new EncodedInput(ids, [], [])).ToArray();
        RerankKitTelemetry.Pairs.Add(inputIds.Count, new KeyValuePair<string, object?>("model", ModelName));
        foreach (int[] indices in TokenBatcher.Plan(encoded, _options.BatchSize))
        {
            var batch = TokenBatch.Pad(indices.Select(i => (IReadOnlyList<int>)inputIds[i]).ToList(), null, Tokenizer.PadTokenId);
            using var run = RerankKitTelemetry.ActivitySource.StartActivity("rerankkit.run");
            run?.SetTag("rerankkit.batch_size", batch.BatchSize);
            run?.SetTag("rerankkit.sequence_length", batch.SequenceLength);
            var logits = _backend.FirstStepLogits(batch, _scoreTokens, cancellationToken);
            for (int row = 0; row < indices.Length; row++)
                result[indices[row]] = logits[row];
        }
        return result;
    }

    /// <summary>log_softmax([false, true])[true] = true − logsumexp(false, true), computed stably.</summary>
    internal static float LogPTrue(float[] falseTrue)
    {
        double f = falseTrue[0], t = falseTrue[1];
        double max = Math.Max(f, t);
        return (float)(t - (max + Math.Log(Math.Exp(f - max) + Math.Exp(t - max))));
    }

    /// <summary>Every ordered pair (i, j), i ≠ j, in <c>itertools.permutations</c> order.</summary>
    internal static (int I, int J)[] OrderedPairs(int n)
    {
        var pairs = new List<(int, int)>(n * Math.Max(0, n - 1));
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (i != j)
                    pairs.Add((i, j));
            }
        }
        return pairs.ToArray();
    }

    private static int DecoderStartTokenId(string folder)
    {
        var path = Path.Combine(folder, "config.json");
        if (!File.Exists(path))
            throw new ModelLoadException($"{folder} has no config.json, so it is not a Hugging Face model folder");
        using var doc = ModelJson.Read(path);
        // T5Config's default: decoding starts from the pad token, 0.
        return doc.RootElement.TryGetProperty("decoder_start_token_id", out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetInt32()
            : doc.RootElement.TryGetProperty("pad_token_id", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : 0;
    }

    /// <summary>monoT5: P(true) = exp(log P(true)); RankT5: the sigmoid of the logit; duoT5: the sym-sum over its
    /// maximum 2(k − 1), k the documents compared, i.e. the mean pairwise win probability (0.5 when k = 1: nothing was
    /// compared), and 0 for a document beyond the duo top-k (NaN, unscored).</summary>
    public float[] RelevanceScores(string query, IReadOnlyList<float> scores)
    {
        switch (Scoring)
        {
            case T5Scoring.MonoT5:
                return scores.Select(MathF.Exp).ToArray();
            case T5Scoring.RankT5:
                return scores.Select(s => ActivationRule.Apply(ScoreActivation.Sigmoid, s)).ToArray();
            default:
                int compared = scores.Count(s => !float.IsNaN(s));
                return scores.Select(s => float.IsNaN(s) ? 0f : compared < 2 ? 0.5f : s / (2f * (compared - 1))).ToArray();
        }
    }

    public void Dispose() => _backend.Dispose();
}
