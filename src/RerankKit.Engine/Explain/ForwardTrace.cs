namespace RerankKit.Explain;

/// <summary>One forward pass of one sequence: the raw score, every hidden state ([layers + 1] of [T, H], embedding
/// output first) and every layer's attention probabilities ([layers] of [heads, T, T]), all row-major.</summary>
public sealed record ForwardTrace(float Score, IReadOnlyList<float[]> HiddenStates, IReadOnlyList<float[]> Attentions);

/// <summary>A raw score and its gradient with respect to the word-embedding inputs, row-major [T, H].</summary>
public sealed record ScoreGradient(float Score, float[] EmbeddingGradient);
