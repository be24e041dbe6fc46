namespace RerankKit.Explain;

/// <summary>The figures of one explanation, encoded once and shared by the files and the report.</summary>
public sealed record ExplanationFigureSet(
    int Layer,
    Figure AttentionHeads,
    Figure AttentionAllLayers,
    Figure Saliency,
    Figure IntegratedGradients,
    Figure Trajectory,
    Figure TrajectoryGif)
{
    /// <summary>Renders every figure; <paramref name="layer"/> is 0-based.</summary>
    public static ExplanationFigureSet Render(Explanation e, int layer, int topK = 10) => new(
        layer,
        ExplanationFigures.AttentionHeads(e, layer),
        ExplanationFigures.AttentionAllLayers(e),
        ExplanationFigures.Saliency(e, topK),
        ExplanationFigures.IntegratedGradients(e, topK),
        ExplanationFigures.Trajectory(e),
        ExplanationFigures.TrajectoryGif(e));
}
