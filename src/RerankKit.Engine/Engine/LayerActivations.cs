namespace RerankKit.Engine;

/// <summary>One encoder layer's intermediate values, kept for its backward pass. Every buffer is fully written
/// by the forward pass, so none is zeroed on allocation.</summary>
internal sealed class LayerActivations
{
    public LayerActivations(int n, int hidden, int intermediate, int probs)
    {
        Q = GC.AllocateUninitializedArray<float>(n * hidden);
        K = GC.AllocateUninitializedArray<float>(n * hidden);
        V = GC.AllocateUninitializedArray<float>(n * hidden);
        Probs = GC.AllocateUninitializedArray<float>(probs);
        Context = GC.AllocateUninitializedArray<float>(n * hidden);
        Ln1In = GC.AllocateUninitializedArray<float>(n * hidden);
        Ln1Mean = GC.AllocateUninitializedArray<float>(n);
        Ln1Rstd = GC.AllocateUninitializedArray<float>(n);
        Ln1Out = GC.AllocateUninitializedArray<float>(n * hidden);
        FfnPre = GC.AllocateUninitializedArray<float>(n * intermediate);
        FfnAct = GC.AllocateUninitializedArray<float>(n * intermediate);
        Ln2In = GC.AllocateUninitializedArray<float>(n * hidden);
        Ln2Mean = GC.AllocateUninitializedArray<float>(n);
        Ln2Rstd = GC.AllocateUninitializedArray<float>(n);
    }

    public float[] Input { get; set; } = [];
    public float[] Q { get; }
    public float[] K { get; }
    public float[] V { get; }
    public float[] Probs { get; set; }
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
    public float[] Output { get; set; } = [];
}
