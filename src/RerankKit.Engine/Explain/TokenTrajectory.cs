namespace RerankKit.Explain;

/// <summary>One token's hidden state at every layer (0 = embedding output) projected on the trajectory PCA.</summary>
public sealed record TokenTrajectory(int Position, string Token, double[] X, double[] Y);
