namespace RerankKit.Engine;

/// <summary>The gradient buffers one layer's backward pass needs, shared by all layers of a backward pass and kept by
/// the model for the next one (see <see cref="ActivationPool"/> for why). Buffers may be longer than a pass needs;
/// <see cref="Take"/> hands out zeroed slices of the right length.</summary>
internal sealed class BackwardScratch(int rows, int hidden, int intermediate)
{
    public int Rows { get; } = rows;
    public int Hidden { get; } = hidden;
    public int Intermediate { get; } = intermediate;

    public float[] DLn2In { get; } = new float[rows * hidden];
    public float[] DLn1Out { get; } = new float[rows * hidden];
    public float[] DFfnAct { get; } = new float[rows * intermediate];
    public float[] DFfnPre { get; } = new float[rows * intermediate];
    public float[] DLn1In { get; } = new float[rows * hidden];
    public float[] DContext { get; } = new float[rows * hidden];
    public float[] DQ { get; } = new float[rows * hidden];
    public float[] DK { get; } = new float[rows * hidden];
    public float[] DV { get; } = new float[rows * hidden];

    /// <summary>d loss / d layer input; the next layer down reads it as its d output before writing its own.</summary>
    public float[] DInput { get; } = new float[rows * hidden];

    public bool Fits(int n, int h, int inter) => n <= Rows && h == Hidden && inter == Intermediate;

    /// <summary>Zeroes the first <paramref name="length"/> values (the ops accumulate into them) and returns the buffer.</summary>
    public static float[] Take(float[] buffer, int length)
    {
        Array.Clear(buffer, 0, length);
        return buffer;
    }
}
