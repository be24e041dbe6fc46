namespace RerankKit.Quantization;

/// <summary>Symmetric int8 quantization of a [rows, cols] weight matrix (rows = input features, cols = output
/// channels, the layout MatMul takes): q = round(w / scale), scale = max|w| / qmax, zero point 0, so every weight
/// dequantizes to within scale / 2 of its value.</summary>
public sealed class Int8Weights
{
    private Int8Weights(sbyte[] values, float[] scales, int rows, int cols)
    {
        Values = values;
        Scales = scales;
        Rows = rows;
        Cols = cols;
    }

    /// <summary>Row-major [rows, cols].</summary>
    public sbyte[] Values { get; }

    /// <summary>One scale for the tensor, or one per column.</summary>
    public float[] Scales { get; }

    public int Rows { get; }

    public int Cols { get; }

    public float Scale(int col) => Scales.Length == 1 ? Scales[0] : Scales[col];

    public static Int8Weights Quantize(ReadOnlySpan<float> weights, int rows, int cols, bool perChannel, bool reduceRange)
    {
        if (weights.Length != (long)rows * cols)
            throw new ArgumentException($"{weights.Length} weights do not fill [{rows}, {cols}]", nameof(weights));
        // 127, not 128: a symmetric range keeps zero exact and -w quantizing to -q.
        float qmax = reduceRange ? 63f : 127f;
        var absMax = new float[perChannel ? cols : 1];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                ref float m = ref absMax[perChannel ? c : 0];
                m = MathF.Max(m, MathF.Abs(weights[r * cols + c]));
            }
        // An all-zero channel gets scale 1, so it stays exactly zero instead of dividing by zero.
        var scales = absMax.Select(m => m > 0 ? m / qmax : 1f).ToArray();
        var values = new sbyte[weights.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                float scale = scales[perChannel ? c : 0];
                values[r * cols + c] = (sbyte)Math.Clamp(MathF.Round(weights[r * cols + c] / scale, MidpointRounding.ToEven), -qmax, qmax);
            }
        return new Int8Weights(values, scales, rows, cols);
    }
}
