namespace RerankKit.Engine;

/// <summary>The result of <see cref="TransformerModel.Forward"/>; with <see cref="ForwardOptions.KeepForBackward"/>
/// it also holds what the backward pass needs.</summary>
public sealed class ForwardPass
{
    internal ForwardPass(EncoderInput input, ForwardOptions options, int hidden)
    {
        Input = input;
        Options = options;
        HiddenSize = hidden;
    }

    public EncoderInput Input { get; }
    public ForwardOptions Options { get; }
    public int HiddenSize { get; }

    /// <summary>[B, T, H]. A pass kept for backward without hidden states may hold it in a pooled buffer, valid until
    /// <see cref="TransformerModel.Backward"/> returns it (later passes reuse it).</summary>
    public float[] LastHiddenState { get; internal set; } = [];

    /// <summary>[B, numLabels]; null when the model has no classification head.</summary>
    public float[]? Logits { get; internal set; }

    /// <summary>[layers+1] of [B, T, H] when <see cref="ForwardOptions.KeepHiddenStates"/>.</summary>
    public IReadOnlyList<float[]>? HiddenStates { get; internal set; }

    /// <summary>[layers] of [B, heads, T, T] when <see cref="ForwardOptions.KeepAttentions"/>.</summary>
    public IReadOnlyList<float[]>? Attentions { get; internal set; }

    internal int[] Positions { get; set; } = [];
    internal float[] EmbeddingSum { get; set; } = [];
    internal float[] EmbeddingMean { get; set; } = [];
    internal float[] EmbeddingRstd { get; set; } = [];
    internal List<LayerActivations> Layers { get; } = [];

    /// <summary>Pooled buffers this pass holds until its backward returns them.</summary>
    internal List<float[]> PooledBuffers { get; } = [];
    internal float[] HeadInput { get; set; } = [];
    internal float[] HeadHidden { get; set; } = [];
}
