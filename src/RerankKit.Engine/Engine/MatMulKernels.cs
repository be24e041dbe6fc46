using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RerankKit.Engine;

/// <summary>The register-tiled micro-kernels of <see cref="MatMul"/>: C[rows x cols] (+)= alpha · A · B from an A
/// panel stored depth-major in groups of <see cref="Kernel.Rows"/> and a B panel in groups of
/// <see cref="Kernel.Columns"/>. Each depth step loads the B row once as vectors and broadcasts one A value per row
/// into fused multiply-adds, so every accumulator stays in a register for the whole depth. Kernels only see whole
/// tiles; <see cref="MatMul"/> gives edge tiles a scratch tile.</summary>
internal static class MatMulKernels
{
    /// <summary>The widest kernel this CPU runs: 12 x 32 with AVX-512 (24 of its 32 vector registers), 6 x 16 with
    /// AVX2 (12 of 16), else a scalar 4 x 4.</summary>
    public static Kernel Current { get; } =
        Vector512.IsHardwareAccelerated ? new Tile12x32()
        : Vector256.IsHardwareAccelerated ? new Tile6x16()
        : new Scalar4x4();

    internal abstract class Kernel(int rows, int columns)
    {
        public int Rows { get; } = rows;
        public int Columns { get; } = columns;

        /// <summary>C[Rows x Columns] (+)= alpha · A panel · B panel over <paramref name="depth"/> steps.</summary>
        public abstract unsafe void Run(float* a, float* b, int depth, float* c, int ldc, bool accumulate, float alpha);
    }

    /// <summary>12 x 32 tile in 24 Vector512 accumulators.</summary>
    private sealed class Tile12x32() : Kernel(12, 32)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override unsafe void Run(float* a, float* b, int depth, float* c, int ldc, bool accumulate, float alpha)
        {
            var c0_0 = Vector512<float>.Zero;
            var c0_1 = c0_0; var c1_0 = c0_0; var c1_1 = c0_0; var c2_0 = c0_0;
            var c2_1 = c0_0; var c3_0 = c0_0; var c3_1 = c0_0; var c4_0 = c0_0;
            var c4_1 = c0_0; var c5_0 = c0_0; var c5_1 = c0_0; var c6_0 = c0_0;
            var c6_1 = c0_0; var c7_0 = c0_0; var c7_1 = c0_0; var c8_0 = c0_0;
            var c8_1 = c0_0; var c9_0 = c0_0; var c9_1 = c0_0; var c10_0 = c0_0;
            var c10_1 = c0_0; var c11_0 = c0_0; var c11_1 = c0_0;
            for (int p = 0; p < depth; p++)
            {
                var b0 = Vector512.Load(b + 0);
                var b1 = Vector512.Load(b + 16);
                var x0 = Vector512.Create(a[0]);
                c0_0 = Vector512.FusedMultiplyAdd(x0, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(x0, b1, c0_1);
                var x1 = Vector512.Create(a[1]);
                c1_0 = Vector512.FusedMultiplyAdd(x1, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(x1, b1, c1_1);
                var x2 = Vector512.Create(a[2]);
                c2_0 = Vector512.FusedMultiplyAdd(x2, b0, c2_0); c2_1 = Vector512.FusedMultiplyAdd(x2, b1, c2_1);
                var x3 = Vector512.Create(a[3]);
                c3_0 = Vector512.FusedMultiplyAdd(x3, b0, c3_0); c3_1 = Vector512.FusedMultiplyAdd(x3, b1, c3_1);
                var x4 = Vector512.Create(a[4]);
                c4_0 = Vector512.FusedMultiplyAdd(x4, b0, c4_0); c4_1 = Vector512.FusedMultiplyAdd(x4, b1, c4_1);
                var x5 = Vector512.Create(a[5]);
                c5_0 = Vector512.FusedMultiplyAdd(x5, b0, c5_0); c5_1 = Vector512.FusedMultiplyAdd(x5, b1, c5_1);
                var x6 = Vector512.Create(a[6]);
                c6_0 = Vector512.FusedMultiplyAdd(x6, b0, c6_0); c6_1 = Vector512.FusedMultiplyAdd(x6, b1, c6_1);
                var x7 = Vector512.Create(a[7]);
                c7_0 = Vector512.FusedMultiplyAdd(x7, b0, c7_0); c7_1 = Vector512.FusedMultiplyAdd(x7, b1, c7_1);
                var x8 = Vector512.Create(a[8]);
                c8_0 = Vector512.FusedMultiplyAdd(x8, b0, c8_0); c8_1 = Vector512.FusedMultiplyAdd(x8, b1, c8_1);
                var x9 = Vector512.Create(a[9]);
                c9_0 = Vector512.FusedMultiplyAdd(x9, b0, c9_0); c9_1 = Vector512.FusedMultiplyAdd(x9, b1, c9_1);
                var x10 = Vector512.Create(a[10]);
                c10_0 = Vector512.FusedMultiplyAdd(x10, b0, c10_0); c10_1 = Vector512.FusedMultiplyAdd(x10, b1, c10_1);
                var x11 = Vector512.Create(a[11]);
                c11_0 = Vector512.FusedMultiplyAdd(x11, b0, c11_0); c11_1 = Vector512.FusedMultiplyAdd(x11, b1, c11_1);
                a += 12;
                b += 32;
            }
            var al = Vector512.Create(alpha);
            Store(c + 0L * ldc, c0_0, c0_1, al, accumulate);
            Store(c + 1L * ldc, c1_0, c1_1, al, accumulate);
            Store(c + 2L * ldc, c2_0, c2_1, al, accumulate);
            Store(c + 3L * ldc, c3_0, c3_1, al, accumulate);
            Store(c + 4L * ldc, c4_0, c4_1, al, accumulate);
            Store(c + 5L * ldc, c5_0, c5_1, al, accumulate);
            Store(c + 6L * ldc, c6_0, c6_1, al, accumulate);
            Store(c + 7L * ldc, c7_0, c7_1, al, accumulate);
            Store(c + 8L * ldc, c8_0, c8_1, al, accumulate);
            Store(c + 9L * ldc, c9_0, c9_1, al, accumulate);
            Store(c + 10L * ldc, c10_0, c10_1, al, accumulate);
            Store(c + 11L * ldc, c11_0, c11_1, al, accumulate);
        }
    }

    /// <summary>6 x 16 tile in 12 Vector256 accumulators.</summary>
    private sealed class Tile6x16() : Kernel(6, 16)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override unsafe void Run(float* a, float* b, int depth, float* c, int ldc, bool accumulate, float alpha)
        {
            var c0_0 = Vector256<float>.Zero;
            var c0_1 = c0_0; var c1_0 = c0_0; var c1_1 = c0_0; var c2_0 = c0_0;
            var c2_1 = c0_0; var c3_0 = c0_0; var c3_1 = c0_0; var c4_0 = c0_0;
            var c4_1 = c0_0; var c5_0 = c0_0; var c5_1 = c0_0;
            for (int p = 0; p < depth; p++)
            {
                var b0 = Vector256.Load(b + 0);
                var b1 = Vector256.Load(b + 8);
                var x0 = Vector256.Create(a[0]);
                c0_0 = Vector256.FusedMultiplyAdd(x0, b0, c0_0); c0_1 = Vector256.FusedMultiplyAdd(x0, b1, c0_1);
                var x1 = Vector256.Create(a[1]);
                c1_0 = Vector256.FusedMultiplyAdd(x1, b0, c1_0); c1_1 = Vector256.FusedMultiplyAdd(x1, b1, c1_1);
                var x2 = Vector256.Create(a[2]);
                c2_0 = Vector256.FusedMultiplyAdd(x2, b0, c2_0); c2_1 = Vector256.FusedMultiplyAdd(x2, b1, c2_1);
                var x3 = Vector256.Create(a[3]);
                c3_0 = Vector256.FusedMultiplyAdd(x3, b0, c3_0); c3_1 = Vector256.FusedMultiplyAdd(x3, b1, c3_1);
                var x4 = Vector256.Create(a[4]);
                c4_0 = Vector256.FusedMultiplyAdd(x4, b0, c4_0); c4_1 = Vector256.FusedMultiplyAdd(x4, b1, c4_1);
                var x5 = Vector256.Create(a[5]);
                c5_0 = Vector256.FusedMultiplyAdd(x5, b0, c5_0); c5_1 = Vector256.FusedMultiplyAdd(x5, b1, c5_1);
                a += 6;
                b += 16;
            }
            var al = Vector256.Create(alpha);
            Store(c + 0L * ldc, c0_0, c0_1, al, accumulate);
            Store(c + 1L * ldc, c1_0, c1_1, al, accumulate);
            Store(c + 2L * ldc, c2_0, c2_1, al, accumulate);
            Store(c + 3L * ldc, c3_0, c3_1, al, accumulate);
            Store(c + 4L * ldc, c4_0, c4_1, al, accumulate);
            Store(c + 5L * ldc, c5_0, c5_1, al, accumulate);
        }
    }

    /// <summary>Portable fallback for CPUs without 256-bit vectors.</summary>
    private sealed class Scalar4x4() : Kernel(4, 4)
    {
        public override unsafe void Run(float* a, float* b, int depth, float* c, int ldc, bool accumulate, float alpha)
        {
            float* tile = stackalloc float[16];
            for (int q = 0; q < 16; q++)
                tile[q] = 0;
            for (int p = 0; p < depth; p++, a += 4, b += 4)
                for (int r = 0; r < 4; r++)
                    for (int q = 0; q < 4; q++)
                        tile[r * 4 + q] += a[r] * b[q];
            for (int r = 0; r < 4; r++)
                for (int q = 0; q < 4; q++)
                {
                    float value = alpha * tile[r * 4 + q];
                    c[(long)r * ldc + q] = accumulate ? c[(long)r * ldc + q] + value : value;
                }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* c, Vector512<float> v0, Vector512<float> v1, Vector512<float> alpha, bool accumulate)
    {
        v0 *= alpha;
        v1 *= alpha;
        if (accumulate)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + 16);
        }
        v0.Store(c);
        v1.Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* c, Vector256<float> v0, Vector256<float> v1, Vector256<float> alpha, bool accumulate)
    {
        v0 *= alpha;
        v1 *= alpha;
        if (accumulate)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + 8);
        }
        v0.Store(c);
        v1.Store(c + 8);
    }
}
