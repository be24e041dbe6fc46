namespace RerankKit.Caching;

/// <summary>Applies a <see cref="ScoreActivation"/> to a raw score; caches and batchers keep logits and
/// activate on the way out so one cached entry serves every activation.</summary>
public static class ScoreActivationExtensions
{
    public static float Apply(this ScoreActivation activation, float logit) => activation switch
    {
        ScoreActivation.Sigmoid => 1f / (1f + MathF.Exp(-logit)),
        _ => logit,
    };
}
