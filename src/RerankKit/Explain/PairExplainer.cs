using System.Text.Json;
using RerankKit.Models;
using RerankKit.Tokenization;

namespace RerankKit.Explain;

/// <summary>Explains why a cross-encoder scores a (query, document) pair as it does: attentions and their rollout,
/// gradient saliency, gradient x input, integrated gradients, head entropies and hidden-state trajectories.</summary>
public sealed class PairExplainer(IExplainableModel model, ITextTokenizer tokenizer, int maxLength)
{
    public IExplainableModel Model { get; } = model;

    /// <summary>Longest pair in tokens, special tokens included, unless <see cref="ExplainOptions.MaxLength"/> says otherwise.</summary>
    public int MaxLength { get; } = maxLength;

    /// <summary>A cross-encoder folder (config.json, model.safetensors, tokenizer files) on the native engine.
    /// <paramref name="maxLength"/> null takes <c>model_max_length</c> from tokenizer_config.json, capped by the positions the model has.</summary>
    public static PairExplainer FromFolder(string folder, int? maxLength = null)
    {
        if (!Directory.Exists(folder))
            throw new ModelLoadException($"model folder not found: {folder}");
        var model = NativeExplainableModel.Load(folder);
        var tokenizer = TokenizerFactory.FromFolder(folder);
        var config = model.Config;
        int positionLimit = config.MaxPositionEmbeddings - (config.IsRoberta ? config.PadTokenId + 1 : 0);
        int length = maxLength ?? Math.Min(ConfiguredMaxLength(folder) ?? positionLimit, positionLimit);
        if (length < 4 || length > positionLimit)
            throw new ArgumentException($"max length {length} is out of range for this model (4..{positionLimit})");
        return new PairExplainer(model, tokenizer, length);
    }

    private static int? ConfiguredMaxLength(string folder)
    {
        string path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path))
            return null;
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.TryGetProperty("model_max_length", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) && n is > 0 and < int.MaxValue
            ? (int)n
            : null;
    }

    public Explanation Explain(string query, string document, ExplainOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExplainOptions();
        var input = tokenizer.EncodePair(query, document, options.MaxLength ?? MaxLength);
        return Explain(query, document, input, options, cancellationToken);
    }

    /// <summary>Explains an already tokenized pair (the tokens must include the special tokens).</summary>
    public Explanation Explain(string query, string document, EncodedInput input, ExplainOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExplainOptions();
        var config = Model.Config;
        int hidden = config.HiddenSize, heads = config.NumAttentionHeads, t = input.Length;

        var trace = Model.Forward(input);
        if (trace.HiddenStates.Count != trace.Attentions.Count + 1)
            throw new InvalidOperationException("The model returned no hidden states or attentions.");
        cancellationToken.ThrowIfCancellationRequested();
        var gradient = Model.Gradient(input);
        var embeddings = Model.WordEmbeddings(input.InputIds);
        var saliency = GradientAttribution.Saliency(gradient.EmbeddingGradient, hidden);
        var gradientTimesInput = GradientAttribution.GradientTimesInput(gradient.EmbeddingGradient, embeddings, hidden);

        var roles = TokenRoles.Assign(input.Tokens);
        var isSpecial = roles.Select(r => r == TokenRole.Special).ToArray();
        var ig = IntegratedGradients.Compute(Model, input, isSpecial, tokenizer.PadTokenId, options.Steps, options.Rule, cancellationToken);

        var chosen = ChooseTrajectoryTokens(options, roles, saliency, t);
        var points = new List<double[]>();
        foreach (int position in chosen)
            foreach (var layer in trace.HiddenStates)
                points.Add(layer.AsSpan(position * hidden, hidden).ToArray().Select(v => (double)v).ToArray());
        var pca = TrajectoryPca.Fit(points);
        int layers = trace.HiddenStates.Count;
        var trajectories = chosen.Select((position, c) =>
        {
            var projected = Enumerable.Range(0, layers).Select(l => pca.Project(points[c * layers + l])).ToArray();
            return new TokenTrajectory(position, input.Tokens[position], projected.Select(p => p.X).ToArray(), projected.Select(p => p.Y).ToArray());
        }).ToArray();

        return new Explanation
        {
            Query = query,
            Document = document,
            Tokens = input.Tokens,
            InputIds = input.InputIds,
            TokenTypeIds = input.TokenTypeIds,
            Roles = roles,
            Score = trace.Score,
            NumLayers = trace.Attentions.Count,
            NumHeads = heads,
            Attentions = trace.Attentions,
            Saliency = saliency,
            GradientTimesInput = gradientTimesInput,
            IntegratedGradients = ig,
            Rollout = AttentionRollout.FromToken(trace.Attentions, heads, t),
            AttentionEntropy = AttentionEntropy.PerHead(trace.Attentions, heads, t),
            Trajectories = trajectories,
            ExplainedVariance1 = pca.ExplainedVariance1,
            ExplainedVariance2 = pca.ExplainedVariance2,
        };
    }

    private static int[] ChooseTrajectoryTokens(ExplainOptions options, TokenRole[] roles, double[] saliency, int t)
    {
        if (options.TrajectoryTokens is { Count: > 0 } given)
        {
            foreach (int p in given)
                if (p < 0 || p >= t)
                    throw new ArgumentException($"Trajectory token position {p} is outside the {t} tokens of the pair.");
            return given.Distinct().ToArray();
        }
        var salient = Enumerable.Range(0, t)
            .Where(i => roles[i] != TokenRole.Special)
            .OrderByDescending(i => saliency[i])
            .ThenBy(i => i)
            .Take(Math.Max(1, options.TrajectoryTokenCount))
            .ToArray();
        return salient.Length > 0 ? salient : [0];
    }
}
