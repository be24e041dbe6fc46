using RerankKit.IO;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace RerankKit.Retrieval;

/// <summary>Vectors quantized to int8 with one symmetric scale per row (value ~ code x scale): a quarter of the
/// float memory, scored with integer dot products to shortlist candidates that are then rescored in float.</summary>
public sealed class Int8Vectors
{
    private readonly sbyte[] _codes;
    private readonly float[] _scales;

    private Int8Vectors(sbyte[] codes, float[] scales, int dimension)
    {
        _codes = codes;
        _scales = scales;
        Dimension = dimension;
    }

    public int Count => _scales.Length;

    public int Dimension { get; }

    public static Int8Vectors Quantize(VectorMatrix matrix)
    {
        var codes = new sbyte[(long)matrix.Count * matrix.Dimension];
        var scales = new float[matrix.Count];
        for (int i = 0; i < matrix.Count; i++)
            scales[i] = QuantizeRow(matrix.Row(i), codes.AsSpan(i * matrix.Dimension, matrix.Dimension));
        return new Int8Vectors(codes, scales, matrix.Dimension);
    }

    /// <summary>Writes <paramref name="row"/> as int8 codes and returns the scale that maps codes back.</summary>
    internal static float QuantizeRow(ReadOnlySpan<float> row, Span<sbyte> codes)
    {
        // MaxMagnitude returns the signed element of largest magnitude.
        float max = row.Length == 0 ? 0 : MathF.Abs(TensorPrimitives.MaxMagnitude(row));
        float scale = max > 0 ? max / 127f : 1f;
        for (int j = 0; j < row.Length; j++)
            codes[j] = (sbyte)Math.Clamp(MathF.Round(row[j] / scale), -127, 127);
        return scale;
    }

    /// <summary>Approximate dot products of <paramref name="query"/> with every row.</summary>
    public void DotAll(ReadOnlySpan<float> query, Span<float> scores)
    {
        if (query.Length != Dimension)
            throw new ArgumentException($"Query vector has {query.Length} dimensions; the index has {Dimension}.");
        Span<sbyte> q = Dimension <= 4096 ? stackalloc sbyte[Dimension] : new sbyte[Dimension];
        float queryScale = QuantizeRow(query, q);
        for (int i = 0; i < Count; i++)
            scores[i] = DotInt8(q, _codes.AsSpan(i * Dimension, Dimension)) * queryScale * _scales[i];
    }

    /// <summary>TensorPrimitives has no int8 dot with a wide accumulator, so this widens to 16 bits (a product of two
    /// int8 values fits) and then to 32 bits before summing.</summary>
    internal static int DotInt8(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        int i = 0;
        var acc = Vector<int>.Zero;
        for (; i <= a.Length - Vector<sbyte>.Count; i += Vector<sbyte>.Count)
        {
            Vector.Widen(new Vector<sbyte>(a[i..]), out var aLow, out var aHigh);
            Vector.Widen(new Vector<sbyte>(b[i..]), out var bLow, out var bHigh);
            Vector.Widen(aLow * bLow, out var p0, out var p1);
            Vector.Widen(aHigh * bHigh, out var p2, out var p3);
            acc += p0 + p1 + p2 + p3;
        }
        int sum = Vector.Sum(acc);
        for (; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    public void Save(string codesPath, string scalesPath)
    {
        AtomicFile.Write(codesPath, s => s.Write(MemoryMarshal.AsBytes(_codes.AsSpan())));
        AtomicFile.Write(scalesPath, s => s.Write(MemoryMarshal.AsBytes(_scales.AsSpan())));
    }

    public static Int8Vectors Load(string codesPath, string scalesPath, int count, int dimension)
    {
        byte[] codes = File.ReadAllBytes(codesPath);
        byte[] scales = File.ReadAllBytes(scalesPath);
        if (codes.Length != (long)count * dimension || scales.Length != (long)count * sizeof(float))
            throw new InvalidDataException($"{codesPath} or {scalesPath} does not hold {count} int8 vectors of {dimension} dimensions");
        return new Int8Vectors(MemoryMarshal.Cast<byte, sbyte>(codes).ToArray(), MemoryMarshal.Cast<byte, float>(scales).ToArray(), dimension);
    }
}
