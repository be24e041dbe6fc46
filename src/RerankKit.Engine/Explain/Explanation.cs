namespace RerankKit.Explain;

/// <summary>Everything <see cref="PairExplainer"/> finds out about one (query, document) pair.</summary>
public sealed record Explanation
{
    public required string Query { get; init; }
    public required string Document { get; init; }
    public required string[] Tokens { get; init; }
    public required int[] InputIds { get; init; }
    public required int[] TokenTypeIds { get; init; }
    public required TokenRole[] Roles { get; init; }

    /// <summary>The raw score (logit), before any activation.</summary>
    public required double Score { get; init; }

    public required int NumLayers { get; init; }
    public required int NumHeads { get; init; }

    /// <summary>[layers] of row-major [heads, T, T] attention probabilities.</summary>
    public required IReadOnlyList<float[]> Attentions { get; init; }

    public required double[] Saliency { get; init; }
    public required double[] GradientTimesInput { get; init; }
    public required IntegratedGradientsResult IntegratedGradients { get; init; }

    /// <summary>Attention rollout from the first token ([CLS] / &lt;s&gt;) to every token.</summary>
    public required double[] Rollout { get; init; }

    /// <summary>[layers][heads] mean attention-row entropy in nats.</summary>
    public required double[][] AttentionEntropy { get; init; }

    public required IReadOnlyList<TokenTrajectory> Trajectories { get; init; }
    public required double ExplainedVariance1 { get; init; }
    public required double ExplainedVariance2 { get; init; }

    public int Length => Tokens.Length;

    /// <summary>Positions of non-special tokens, best first by <paramref name="values"/> (absolute value).</summary>
    public IReadOnlyList<int> TopTokens(IReadOnlyList<double> values, int k) =>
        Enumerable.Range(0, Length)
            .Where(i => Roles[i] != TokenRole.Special)
            .OrderByDescending(i => Math.Abs(values[i]))
            .ThenBy(i => i)
            .Take(k)
            .ToArray();

    public float Attention(int layer, int head, int from, int to) =>
        Attentions[layer][(head * Length + from) * Length + to];
}
