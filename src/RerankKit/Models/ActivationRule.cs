using RerankKit.Numerics;

namespace RerankKit.Models;

/// <summary>sentence-transformers' rule for a cross-encoder's default score activation.</summary>
public static class ActivationRule
{
    /// <summary>The config's <c>activation_fn</c> (or the legacy key) when present, else sigmoid for a one-label
    /// model and identity otherwise.</summary>
    public static ScoreActivation Resolve(ModelConfig config)
    {
        if (config.ActivationFunction is { } name)
            return FromPythonName(name);
        return config.NumLabels == 1 ? ScoreActivation.Sigmoid : ScoreActivation.Identity;
    }

    /// <summary>Maps the class path saved by sentence-transformers (<c>torch.nn.modules.linear.Identity</c>,
    /// <c>torch.nn.Sigmoid</c>, ...) to an activation.</summary>
    public static ScoreActivation FromPythonName(string name)
    {
        string last = name.Split('.')[^1].Trim().TrimEnd(')').TrimEnd('(');
        return last switch
        {
            "Identity" => ScoreActivation.Identity,
            "Sigmoid" => ScoreActivation.Sigmoid,
            _ => throw new ModelLoadException($"unsupported score activation '{name}' (supported: torch.nn.Identity, torch.nn.Sigmoid)"),
        };
    }

    /// <summary>Parses a user's choice: <c>identity</c> or <c>sigmoid</c>.</summary>
    public static ScoreActivation Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "identity" or "none" or "raw" => ScoreActivation.Identity,
        "sigmoid" => ScoreActivation.Sigmoid,
        _ => throw new ArgumentException($"unknown activation '{value}' (use identity or sigmoid)"),
    };

    public static float Apply(ScoreActivation activation, float logit) => activation switch
    {
        ScoreActivation.Sigmoid => Logistic.Sigmoid(logit),
        _ => logit,
    };
}
