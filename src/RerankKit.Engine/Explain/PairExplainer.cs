using RerankKit.Engine;
using RerankKit.Numerics;
using RerankKit.Hub;
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

    /// <summary>A cross-encoder on the native engine from a folder or a hub id (resolved through the Hugging Face
    /// cache, downloading config, <c>model.safetensors</c> (or <c>onnx/model.onnx</c>) and tokenizer files if needed). <paramref name="maxLength"/>
    /// null takes the model's configured max length.</summary>
    public static PairExplainer Load(string modelNameOrPath, int? maxLength = null, HubOptions? hub = null)
    {
        string path = ModelLocator.Resolve(modelNameOrPath, ModelFiles.For(NativeWeights.InPreferenceOrder), hub);
        var folder = ModelFolder.Open(path, maxLength);
        if (folder.Kind != ModelKind.CrossEncoder)
            throw new ModelLoadException($"{modelNameOrPath} is not a cross-encoder ({folder.Config.Architecture}); explanations score (query, document) pairs");
        return new PairExplainer(NativeExplainableModel.Load(path), TokenizerFactory.FromFolder(path), folder.MaxLength);
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

        var progress = options.Progress;
        progress?.Report(("Attentions and gradients", 0));
        var trace = Model.Forward(input);
        if (trace.HiddenStates.Count != trace.Attentions.Count + 1)
            throw new InvalidOperationException("The model returned no hidden states or attentions.");
        cancellationToken.ThrowIfCancellationRequested();
        var gradient = Model.Gradient(input);
        var embeddings = Model.WordEmbeddings(input.InputIds);
        var saliency = GradientAttribution.Saliency(gradient.EmbeddingGradient, hidden);
        var gradientTimesInput = GradientAttribution.GradientTimesInput(gradient.EmbeddingGradient, embeddings, hidden);
        progress?.Report(("Attentions and gradients", 1));

        var roles = TokenRoles.Assign(input.Tokens);
        var isSpecial = roles.Select(r => r == TokenRole.Special).ToArray();
        var igProgress = progress is null ? null : new StageProgress(progress, "Integrated gradients");
        var ig = IntegratedGradients.Compute(Model, input, isSpecial, tokenizer.PadTokenId, options.Steps, options.Rule, igProgress, cancellationToken);

        var chosen = ChooseTrajectoryTokens(options, roles, saliency, t);
        var points = new List<double[]>();
        foreach (int position in chosen)
            foreach (var layer in trace.HiddenStates)
                points.Add(layer.AsSpan(position * hidden, hidden).ToArray().Select(v => (double)v).ToArray());
        // One fit over the chosen tokens at every layer, so positions in different layers share one 2D picture.
        var pca = Pca.Fit(points, components: 2);
        int layers = trace.HiddenStates.Count;
        var trajectories = chosen.Select((position, c) =>
        {
            var projected = Enumerable.Range(0, layers).Select(l => pca.Project(points[c * layers + l])).ToArray();
            return new TokenTrajectory(position, input.Tokens[position], projected.Select(p => p[0]).ToArray(), projected.Select(p => p[1]).ToArray());
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
            ExplainedVariance1 = pca.ExplainedVariance[0],
            ExplainedVariance2 = pca.ExplainedVariance[1],
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

    // Reports synchronously, unlike Progress<T>, which posts to the thread pool and may deliver after the work ends.
    private sealed class StageProgress(IProgress<(string Stage, double Fraction)> inner, string stage) : IProgress<double>
    {
        public void Report(double value) => inner.Report((stage, value));
    }
}
