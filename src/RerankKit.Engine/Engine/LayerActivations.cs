namespace RerankKit.Engine;

/// <summary>One encoder layer's intermediate values, kept for its backward pass. The buffers may be longer than one
/// pass needs (they are reused across passes of different batch shapes by <see cref="ActivationPool"/>), so every op
/// on them takes explicit sizes. Every value a pass reads is first written by that pass, so none is zeroed.</summary>
internal sealed class LayerActivations
{
    public LayerActivations(int rows, int hidden, int intermediate, int probs)
    {
        Rows = rows;
        Hidden = hidden;
        Intermediate = intermediate;
        Q = GC.AllocateUninitializedArray<float>(rows * hidden);
        K = GC.AllocateUninitializedArray<float>(rows * hidden);
        V = GC.AllocateUninitializedArray<float>(rows * hidden);
        ProbsBuffer = GC.AllocateUninitializedArray<float>(probs);
        Context = GC.AllocateUninitializedArray<float>(rows * hidden);
        Ln1In = GC.AllocateUninitializedArray<float>(rows * hidden);
        Ln1Mean = GC.AllocateUninitializedArray<float>(rows);
        Ln1Rstd = GC.AllocateUninitializedArray<float>(rows);
        Ln1Out = GC.AllocateUninitializedArray<float>(rows * hidden);
        FfnPre = GC.AllocateUninitializedArray<float>(rows * intermediate);
        FfnAct = GC.AllocateUninitializedArray<float>(rows * intermediate);
        Ln2In = GC.AllocateUninitializedArray<float>(rows * hidden);
        Ln2Mean = GC.AllocateUninitializedArray<float>(rows);
        Ln2Rstd = GC.AllocateUninitializedArray<float>(rows);
        OutputBuffer = GC.AllocateUninitializedArray<float>(rows * hidden);
    }

    public int Rows { get; }
    public int Hidden { get; }
    public int Intermediate { get; }

    public bool Fits(int rows, int hidden, int intermediate, int probs) =>
        rows <= Rows && hidden == Hidden && intermediate == Intermediate && probs <= ProbsBuffer.Length;

    /// <summary>The layer input and output: hidden states the caller may keep, so never pooled.</summary>
    public float[] Input { get; set; } = [];
    public float[] Output { get; set; } = [];

    /// <summary>Room for the layer output of a training pass, whose hidden states no caller sees except the last.</summary>
    public float[] OutputBuffer { get; }

    public float[] Q { get; }
    public float[] K { get; }
    public float[] V { get; }

    /// <summary>Room for [B, heads, T, T] probabilities when the pass keeps them for its backward.</summary>
    public float[] ProbsBuffer { get; }

    /// <summary>This pass's attention probabilities: <see cref="ProbsBuffer"/> for a backward, a new array the caller
    /// keeps for <see cref="ForwardOptions.KeepAttentions"/>, or null when nothing needs them.</summary>
    public float[]? Probs { get; set; }
    public float[] Context { get; }
    public float[] Ln1In { get; }
    public float[] Ln1Mean { get; }
    public float[] Ln1Rstd { get; }
    public float[] Ln1Out { get; }
    public float[] FfnPre { get; }
    public float[] FfnAct { get; }
    public float[] Ln2In { get; }
    public float[] Ln2Mean { get; }
    public float[] Ln2Rstd { get; }
}
