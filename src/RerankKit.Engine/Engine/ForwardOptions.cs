namespace RerankKit.Engine;

/// <summary>What a forward pass keeps besides the logits and last hidden state.</summary>
public sealed record ForwardOptions
{
    /// <summary>Embedding output and each layer's output, [layers+1] arrays of [B, T, H].</summary>
    public bool KeepHiddenStates { get; init; }

    /// <summary>Softmax attention probabilities, [layers] arrays of [B, heads, T, T].</summary>
    public bool KeepAttentions { get; init; }

    /// <summary>Every intermediate activation, so <see cref="TransformerModel.Backward"/> can run on the pass.</summary>
    public bool KeepForBackward { get; init; }

    public static ForwardOptions Inference { get; } = new();

    public static ForwardOptions Training { get; } = new() { KeepForBackward = true };

    public static ForwardOptions Everything { get; } = new() { KeepHiddenStates = true, KeepAttentions = true, KeepForBackward = true };
}
