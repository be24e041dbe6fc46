using RerankKit.Engine;
using Xunit;

namespace RerankKit.Tests.Engine;

/// <summary>The packed GEMM against a float64 product computed from the definition, over shapes that leave ragged
/// edges in every blocking level (kernel tile, depth block of 192, B packed 3,072 deep, column block of 1536) and
/// over all four operand layouts, with accumulation, alpha and several workers. Row-major A and transposed B of whole
/// 16-wide blocks go through the AVX-512 transposing pack where the CPU has it, their remainders through the scalar one.</summary>
public sealed class MatMulPropertyTests
{
    public static TheoryData<int, int, int, bool, bool> Shapes() => new()
    {
        { 1, 1, 1, false, false },
        { 13, 33, 7, true, false },
        { 25, 17, 193, false, true },
        { 11, 1537, 5, true, true },
        { 150, 70, 401, false, false },
        { 289, 45, 64, true, true },
        { 7, 300, 385, true, false },
        { 48, 64, 48, false, true },
        { 36, 32, 33, false, true },
        { 30, 40, 3300, true, false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_equals_the_float64_product_for_any_strides(int m, int n, int k, bool transposeA, bool transposeB)
    {
        // A(i, p) and B(p, j) stored either row-major or transposed, with padding between rows to catch stride mix-ups.
        int padA = 3, padB = 5, ldc = n + 2, aOff = 4, bOff = 2, cOff = 1;
        int aRow = transposeA ? 1 : k + padA, aCol = transposeA ? m + padA : 1;
        int bRow = transposeB ? 1 : n + padB, bCol = transposeB ? k + padB : 1;
        var a = GradientCheck.Random(aOff + (transposeA ? k * (m + padA) : m * (k + padA)), m + k);
        var b = GradientCheck.Random(bOff + (transposeB ? n * (k + padB) : k * (n + padB)), n + k);
        var c = GradientCheck.Random(cOff + m * ldc, m * n);
        var before = (float[])c.Clone();
        const float alpha = -0.75f;
        MatMul.Multiply(a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, ldc, m, n, k, accumulate: true, alpha: alpha, threads: 2);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double term = (double)a[aOff + i * aRow + p * aCol] * b[bOff + p * bRow + j * bCol];
                    s += term;
                    magnitude += Math.Abs(term);
                }
                double expected = before[cOff + i * ldc + j] + alpha * s;
                Assert.True(Math.Abs(expected - c[cOff + i * ldc + j]) <= 1e-5 * (1 + magnitude),
                    $"{m}x{n}x{k} A{(transposeA ? "ᵀ" : "")} B{(transposeB ? "ᵀ" : "")} at ({i},{j}): {c[cOff + i * ldc + j]} vs {expected}");
            }
        for (int i = 0; i < m; i++)
            for (int j = n; j < ldc && cOff + i * ldc + j < c.Length; j++)
                Assert.Equal(before[cOff + i * ldc + j], c[cOff + i * ldc + j]);
    }

    [Fact]
    public void Multiply_without_accumulate_overwrites_and_empty_depth_clears()
    {
        var a = GradientCheck.Random(6 * 5, 1);
        var b = GradientCheck.Random(5 * 40, 2);
        var c = Enumerable.Repeat(float.NaN, 6 * 40).ToArray();
        MatMul.Multiply(a, 0, 5, 1, b, 0, 40, 1, c, 0, 40, 6, 40, 5);
        Assert.DoesNotContain(c, float.IsNaN);
        MatMul.Multiply(a, 0, 5, 1, b, 0, 40, 1, c, 0, 40, 6, 40, 0);
        Assert.All(c, x => Assert.Equal(0f, x));
    }
}
