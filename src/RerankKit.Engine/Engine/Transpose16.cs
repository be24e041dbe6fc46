using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RerankKit.Engine;

/// <summary>A 16 x 16 float transpose in AVX-512 registers, for packing row-major operands into the depth-major panels
/// of <see cref="MatMul"/>. Copied one value at a time with a stride, packing took about a fifth of the CPU time of
/// the products over the 1,536-wide feed-forward activations and a third of attention's (its 256 x 256 probability
/// blocks) at 8 x 256 tokens; in registers it is four rounds of 16 shuffles per 256 values (unpack pairs, unpack
/// quads, then two rounds of 128-bit lane shuffles).</summary>
internal static class Transpose16
{
    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>Reads <paramref name="rows"/> rows of 16 floats (row r at src + r·srcStride; missing rows read as 0)
    /// and writes column c (16 floats, row r in lane r) to dst + c·dstStride for c = 0..15 in increasing order, so a
    /// <paramref name="dstStride"/> below 16 is allowed: each store's tail is overwritten by the next one (the last
    /// one writes 16 - dstStride floats past column 15's row count, which the caller must have room for).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Block(float* src, long srcStride, int rows, float* dst, long dstStride)
    {
        var z = Vector512<float>.Zero;
        var r0 = Vector512.Load(src);
        var r1 = rows > 1 ? Vector512.Load(src + srcStride) : z;
        var r2 = rows > 2 ? Vector512.Load(src + 2 * srcStride) : z;
        var r3 = rows > 3 ? Vector512.Load(src + 3 * srcStride) : z;
        var r4 = rows > 4 ? Vector512.Load(src + 4 * srcStride) : z;
        var r5 = rows > 5 ? Vector512.Load(src + 5 * srcStride) : z;
        var r6 = rows > 6 ? Vector512.Load(src + 6 * srcStride) : z;
        var r7 = rows > 7 ? Vector512.Load(src + 7 * srcStride) : z;
        var r8 = rows > 8 ? Vector512.Load(src + 8 * srcStride) : z;
        var r9 = rows > 9 ? Vector512.Load(src + 9 * srcStride) : z;
        var r10 = rows > 10 ? Vector512.Load(src + 10 * srcStride) : z;
        var r11 = rows > 11 ? Vector512.Load(src + 11 * srcStride) : z;
        var r12 = rows > 12 ? Vector512.Load(src + 12 * srcStride) : z;
        var r13 = rows > 13 ? Vector512.Load(src + 13 * srcStride) : z;
        var r14 = rows > 14 ? Vector512.Load(src + 14 * srcStride) : z;
        var r15 = rows > 15 ? Vector512.Load(src + 15 * srcStride) : z;

        // Round 1: within each 128-bit lane, interleave row pairs.
        var t0 = Avx512F.UnpackLow(r0, r1); var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3); var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5); var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7); var t7 = Avx512F.UnpackHigh(r6, r7);
        var t8 = Avx512F.UnpackLow(r8, r9); var t9 = Avx512F.UnpackHigh(r8, r9);
        var t10 = Avx512F.UnpackLow(r10, r11); var t11 = Avx512F.UnpackHigh(r10, r11);
        var t12 = Avx512F.UnpackLow(r12, r13); var t13 = Avx512F.UnpackHigh(r12, r13);
        var t14 = Avx512F.UnpackLow(r14, r15); var t15 = Avx512F.UnpackHigh(r14, r15);

        // Round 2: pairs of pairs; lane L of u[4k + j] now holds column 4L + j of rows 4k .. 4k+3.
        var u0 = UnpackLow(t0, t2); var u1 = UnpackHigh(t0, t2); var u2 = UnpackLow(t1, t3); var u3 = UnpackHigh(t1, t3);
        var u4 = UnpackLow(t4, t6); var u5 = UnpackHigh(t4, t6); var u6 = UnpackLow(t5, t7); var u7 = UnpackHigh(t5, t7);
        var u8 = UnpackLow(t8, t10); var u9 = UnpackHigh(t8, t10); var u10 = UnpackLow(t9, t11); var u11 = UnpackHigh(t9, t11);
        var u12 = UnpackLow(t12, t14); var u13 = UnpackHigh(t12, t14); var u14 = UnpackLow(t13, t15); var u15 = UnpackHigh(t13, t15);

        // Rounds 3 and 4 gather lane L of u[j], u[4+j], u[8+j], u[12+j] into column 4L + j.
        Columns(u0, u4, u8, u12, out var c0, out var c4, out var c8, out var c12);
        Columns(u1, u5, u9, u13, out var c1, out var c5, out var c9, out var c13);
        Columns(u2, u6, u10, u14, out var c2, out var c6, out var c10, out var c14);
        Columns(u3, u7, u11, u15, out var c3, out var c7, out var c11, out var c15);
        c0.Store(dst); c1.Store(dst + dstStride); c2.Store(dst + 2 * dstStride); c3.Store(dst + 3 * dstStride);
        c4.Store(dst + 4 * dstStride); c5.Store(dst + 5 * dstStride); c6.Store(dst + 6 * dstStride); c7.Store(dst + 7 * dstStride);
        c8.Store(dst + 8 * dstStride); c9.Store(dst + 9 * dstStride); c10.Store(dst + 10 * dstStride); c11.Store(dst + 11 * dstStride);
        c12.Store(dst + 12 * dstStride); c13.Store(dst + 13 * dstStride); c14.Store(dst + 14 * dstStride); c15.Store(dst + 15 * dstStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> UnpackLow(Vector512<float> a, Vector512<float> b) =>
        Avx512F.UnpackLow(a.AsDouble(), b.AsDouble()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> UnpackHigh(Vector512<float> a, Vector512<float> b) =>
        Avx512F.UnpackHigh(a.AsDouble(), b.AsDouble()).AsSingle();

    /// <summary>From four vectors whose 128-bit lane L holds rows 4k..4k+3 of column 4L + j (k = 0..3), the four
    /// full columns j, 4 + j, 8 + j, 12 + j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d,
        out Vector512<float> lane0, out Vector512<float> lane1, out Vector512<float> lane2, out Vector512<float> lane3)
    {
        var ab01 = Avx512F.Shuffle4x128(a, b, 0x44); // a.L0 a.L1 b.L0 b.L1
        var ab23 = Avx512F.Shuffle4x128(a, b, 0xEE); // a.L2 a.L3 b.L2 b.L3
        var cd01 = Avx512F.Shuffle4x128(c, d, 0x44);
        var cd23 = Avx512F.Shuffle4x128(c, d, 0xEE);
        lane0 = Avx512F.Shuffle4x128(ab01, cd01, 0x88); // a.L0 b.L0 c.L0 d.L0
        lane1 = Avx512F.Shuffle4x128(ab01, cd01, 0xDD); // a.L1 b.L1 c.L1 d.L1
        lane2 = Avx512F.Shuffle4x128(ab23, cd23, 0x88);
        lane3 = Avx512F.Shuffle4x128(ab23, cd23, 0xDD);
    }
}
