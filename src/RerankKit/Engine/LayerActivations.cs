namespace RerankKit.Engine;

/// <summary>One encoder layer's intermediate values, kept for its backward pass.</summary>
internal sealed class LayerActivations
{
    public LayerActivations(int n, int hidden, int intermediate, int probs)
    {
        Q = new float[n * hidden];
        K = new float[n * hidden];
        V = new float[n * hidden];
        Probs = new float[probs];
        Context = new float[n * hidden];
        Ln1In = new float[n * hidden];
        Ln1Mean = new float[n];
        Ln1Rstd = new float[n];
        Ln1Out = new float[n * hidden];
        FfnPre = new float[n * intermediate];
        FfnAct = new float[n * intermediate];
        Ln2In = new float[n * hidden];
        Ln2Mean = new float[n];
        Ln2Rstd = new float[n];
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
