using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RerankKit.Engine;

/// <summary>The engine's matrix multiplies. Hand-written because no BLAS ships for .NET here. <see cref="ABt"/>
/// (<c>C = A · Bᵀ</c>, both row-major along K, so weights in PyTorch layout [out, in] are used as stored) uses 4x4
/// register blocks of SIMD dot products over cache blocks of 64 B rows; <see cref="AB"/> (<c>C = A · B</c>) uses
/// 8- or 4-row x 2-vector outer-product blocks, better for short K (attention heads). Large products are split across
/// up to <c>threads</c> workers.</summary>
internal static class MatMul
{
    private const int BlockN = 64;
    private const long ParallelWork = 1L << 20;
    private const int SplitRowsFrom = 256;

    /// <summary>C[i*ldc+j] (+)= alpha · Σ_k A[aOff+i*lda+k] · B[bOff+j*ldb+k] for i &lt; m, j &lt; n.</summary>
    public static void ABt(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
        int m, int n, int k, bool accumulate = false, float alpha = 1f, int threads = 1)
    {
        if (m == 0 || n == 0)
            return;
        CheckRange(a, aOff, lda, m, k, nameof(a));
        CheckRange(b, bOff, ldb, n, k, nameof(b));
        CheckRange(c, cOff, ldc, m, n, nameof(c));
        Split(m, n, (long)m * n * k, threads, 4, BlockN,
            (i0, i1, j0, j1) => Rows(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, i0, i1, j0, j1, k, accumulate, alpha));
    }

    /// <summary>C[i*ldc+j] (+)= alpha · Σ_k A[aOff+i*lda+k*ak] · B[bOff+k*ldb+j]: B row-major along N, A with any
    /// strides (ak = 1 for row-major A; lda = 1, ak = rows for a transposed one). Outer-product form for short K.</summary>
    public static void AB(float[] a, int aOff, int lda, int ak, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
        int m, int n, int k, bool accumulate = false, float alpha = 1f, int threads = 1)
    {
        if (m == 0 || n == 0)
            return;
        if (aOff < 0 || (long)aOff + (long)(m - 1) * lda + (long)(k - 1) * ak >= a.Length)
            throw new ArgumentException($"matrix a [{m}x{k}] with offset {aOff} and strides {lda},{ak} does not fit in {a.Length} values");
        CheckRange(b, bOff, ldb, k, n, nameof(b));
        CheckRange(c, cOff, ldc, m, n, nameof(c));
        Split(m, n, (long)m * n * k, threads, 8, 32,
            (i0, i1, j0, j1) => RowsAB(a, aOff, lda, ak, b, bOff, ldb, c, cOff, ldc, i0, i1, j0, j1, n, k, accumulate, alpha));
    }

    /// <summary>Runs <paramref name="tile"/> over C, split across <paramref name="threads"/> workers when the product is large: by rows when
    /// there are many (each worker streams all of B), else by columns (each worker reads only its share of B,
    /// which is what matters for short sequences against large weights).</summary>
    private static void Split(int m, int n, long work, int threads, int rowUnit, int colUnit, Action<int, int, int, int> tile)
    {
        int workers = work >= ParallelWork ? threads : 1;
        if (workers <= 1)
        {
            tile(0, m, 0, n);
            return;
        }
        int chunks = workers * 4;
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers };
        if (m >= SplitRowsFrom || n < 2 * colUnit)
        {
            int per = ((m + chunks - 1) / chunks + rowUnit - 1) / rowUnit * rowUnit;
            Parallel.For(0, (m + per - 1) / per, options, chunk => tile(chunk * per, Math.Min(m, chunk * per + per), 0, n));
        }
        else
        {
            int per = ((n + chunks - 1) / chunks + colUnit - 1) / colUnit * colUnit;
            Parallel.For(0, (n + per - 1) / per, options, chunk => tile(0, m, chunk * per, Math.Min(n, chunk * per + per)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RowsAB(float[] a, int aOff, int lda, int ak, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
        int i0, int i1, int j0, int j1, int n, int k, bool accumulate, float alpha)
    {
        int w = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 0;
        int panel = 2 * w;
        int nv = panel == 0 ? 0 : n / panel * panel;
        fixed (float* pa0 = a, pb0 = b, pc0 = c)
        {
            float* pa = pa0 + aOff, pb = pb0 + bOff, pc = pc0 + cOff;
            for (int j = j0; panel > 0 && j + panel <= Math.Min(j1, nv); j += panel)
            {
                int i = i0;
                if (w == 16)
                    for (; i + 8 <= i1; i += 8)
                        KernelAB8x32(pa + (long)i * lda, lda, ak, pb + j, ldb, pc + (long)i * ldc + j, ldc, k, accumulate, alpha);
                for (; i + 4 <= i1; i += 4)
                    if (w == 16)
                        KernelAB4x32(pa + (long)i * lda, lda, ak, pb + j, ldb, pc + (long)i * ldc + j, ldc, k, accumulate, alpha);
                    else
                        KernelAB4x16(pa + (long)i * lda, lda, ak, pb + j, ldb, pc + (long)i * ldc + j, ldc, k, accumulate, alpha);
                for (; i < i1; i++)
                    for (int jj = j; jj < j + panel; jj++)
                        Store(pc + (long)i * ldc + jj, StridedDot(pa + (long)i * lda, ak, pb + jj, ldb, k), accumulate, alpha);
            }
            if (panel == 0)
                for (int i = i0; i < i1; i++)
                    for (int jj = j0; jj < j1; jj++)
                        Store(pc + (long)i * ldc + jj, StridedDot(pa + (long)i * lda, ak, pb + jj, ldb, k), accumulate, alpha);
            else if (j1 == n && nv < n)
                RaggedColumns(pa, lda, ak, pb, ldb, pc, ldc, i0, i1, nv, n, k, panel, accumulate, alpha);
        }
    }

    /// <summary>The last n - nv (&lt; panel) columns: copies them into a zero-padded panel so the SIMD kernel
    /// still applies, then adds the real columns of each 4-row tile into C.</summary>
    private static unsafe void RaggedColumns(float* pa, int lda, int ak, float* pb, int ldb, float* pc, int ldc,
        int i0, int i1, int nv, int n, int k, int panel, bool accumulate, float alpha)
    {
        int rem = n - nv;
        var padded = new float[k * panel];
        for (int kk = 0; kk < k; kk++)
            new ReadOnlySpan<float>(pb + (long)kk * ldb + nv, rem).CopyTo(padded.AsSpan(kk * panel, rem));
        float* tile = stackalloc float[4 * 32];
        fixed (float* pp = padded)
        {
            int i = i0;
            for (; i + 4 <= i1; i += 4)
            {
                if (panel == 32)
                    KernelAB4x32(pa + (long)i * lda, lda, ak, pp, panel, tile, panel, k, false, alpha);
                else
                    KernelAB4x16(pa + (long)i * lda, lda, ak, pp, panel, tile, panel, k, false, alpha);
                for (int r = 0; r < 4; r++)
                    for (int jj = 0; jj < rem; jj++)
                    {
                        float* target = pc + (long)(i + r) * ldc + nv + jj;
                        *target = accumulate ? *target + tile[r * panel + jj] : tile[r * panel + jj];
                    }
            }
            for (; i < i1; i++)
                for (int jj = nv; jj < n; jj++)
                    Store(pc + (long)i * ldc + jj, StridedDot(pa + (long)i * lda, ak, pb + jj, ldb, k), accumulate, alpha);
        }
    }

    private static unsafe float StridedDot(float* x, int xs, float* y, int ys, int k)
    {
        float s = 0;
        for (int q = 0; q < k; q++)
            s += x[(long)q * xs] * y[(long)q * ys];
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void KernelAB8x32(float* a, int lda, int ak, float* b, int ldb, float* c, int ldc, int k, bool accumulate, float alpha)
    {
        var c00 = Vector512<float>.Zero; var c01 = c00; var c10 = c00; var c11 = c00;
        var c20 = c00; var c21 = c00; var c30 = c00; var c31 = c00;
        var c40 = c00; var c41 = c00; var c50 = c00; var c51 = c00;
        var c60 = c00; var c61 = c00; var c70 = c00; var c71 = c00;
        float* a0 = a, a1 = a + lda, a2 = a + 2L * lda, a3 = a + 3L * lda;
        float* a4 = a + 4L * lda, a5 = a + 5L * lda, a6 = a + 6L * lda, a7 = a + 7L * lda;
        for (int kk = 0; kk < k; kk++)
        {
            float* brow = b + (long)kk * ldb;
            var y0 = Vector512.Load(brow);
            var y1 = Vector512.Load(brow + 16);
            long o = (long)kk * ak;
            var x = Vector512.Create(a0[o]);
            c00 = Vector512.FusedMultiplyAdd(x, y0, c00); c01 = Vector512.FusedMultiplyAdd(x, y1, c01);
            x = Vector512.Create(a1[o]);
            c10 = Vector512.FusedMultiplyAdd(x, y0, c10); c11 = Vector512.FusedMultiplyAdd(x, y1, c11);
            x = Vector512.Create(a2[o]);
            c20 = Vector512.FusedMultiplyAdd(x, y0, c20); c21 = Vector512.FusedMultiplyAdd(x, y1, c21);
            x = Vector512.Create(a3[o]);
            c30 = Vector512.FusedMultiplyAdd(x, y0, c30); c31 = Vector512.FusedMultiplyAdd(x, y1, c31);
            x = Vector512.Create(a4[o]);
            c40 = Vector512.FusedMultiplyAdd(x, y0, c40); c41 = Vector512.FusedMultiplyAdd(x, y1, c41);
            x = Vector512.Create(a5[o]);
            c50 = Vector512.FusedMultiplyAdd(x, y0, c50); c51 = Vector512.FusedMultiplyAdd(x, y1, c51);
            x = Vector512.Create(a6[o]);
            c60 = Vector512.FusedMultiplyAdd(x, y0, c60); c61 = Vector512.FusedMultiplyAdd(x, y1, c61);
            x = Vector512.Create(a7[o]);
            c70 = Vector512.FusedMultiplyAdd(x, y0, c70); c71 = Vector512.FusedMultiplyAdd(x, y1, c71);
        }
        var al = Vector512.Create(alpha);
        StoreRow(c, c00 * al, c01 * al, accumulate);
        StoreRow(c + ldc, c10 * al, c11 * al, accumulate);
        StoreRow(c + 2L * ldc, c20 * al, c21 * al, accumulate);
        StoreRow(c + 3L * ldc, c30 * al, c31 * al, accumulate);
        StoreRow(c + 4L * ldc, c40 * al, c41 * al, accumulate);
        StoreRow(c + 5L * ldc, c50 * al, c51 * al, accumulate);
        StoreRow(c + 6L * ldc, c60 * al, c61 * al, accumulate);
        StoreRow(c + 7L * ldc, c70 * al, c71 * al, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void KernelAB4x32(float* a, int lda, int ak, float* b, int ldb, float* c, int ldc, int k, bool accumulate, float alpha)
    {
        var c00 = Vector512<float>.Zero; var c01 = c00; var c10 = c00; var c11 = c00;
        var c20 = c00; var c21 = c00; var c30 = c00; var c31 = c00;
        float* a0 = a, a1 = a + lda, a2 = a + 2L * lda, a3 = a + 3L * lda;
        for (int kk = 0; kk < k; kk++)
        {
            float* brow = b + (long)kk * ldb;
            var y0 = Vector512.Load(brow);
            var y1 = Vector512.Load(brow + 16);
            long o = (long)kk * ak;
            var x = Vector512.Create(a0[o]);
            c00 = Vector512.FusedMultiplyAdd(x, y0, c00); c01 = Vector512.FusedMultiplyAdd(x, y1, c01);
            x = Vector512.Create(a1[o]);
            c10 = Vector512.FusedMultiplyAdd(x, y0, c10); c11 = Vector512.FusedMultiplyAdd(x, y1, c11);
            x = Vector512.Create(a2[o]);
            c20 = Vector512.FusedMultiplyAdd(x, y0, c20); c21 = Vector512.FusedMultiplyAdd(x, y1, c21);
            x = Vector512.Create(a3[o]);
            c30 = Vector512.FusedMultiplyAdd(x, y0, c30); c31 = Vector512.FusedMultiplyAdd(x, y1, c31);
        }
        var al = Vector512.Create(alpha);
        StoreRow(c, c00 * al, c01 * al, accumulate);
        StoreRow(c + ldc, c10 * al, c11 * al, accumulate);
        StoreRow(c + 2L * ldc, c20 * al, c21 * al, accumulate);
        StoreRow(c + 3L * ldc, c30 * al, c31 * al, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow(float* c, Vector512<float> v0, Vector512<float> v1, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + 16);
        }
        v0.Store(c);
        v1.Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow(float* c, Vector256<float> v0, Vector256<float> v1, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + 8);
        }
        v0.Store(c);
        v1.Store(c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void KernelAB4x16(float* a, int lda, int ak, float* b, int ldb, float* c, int ldc, int k, bool accumulate, float alpha)
    {
        var c00 = Vector256<float>.Zero; var c01 = c00; var c10 = c00; var c11 = c00;
        var c20 = c00; var c21 = c00; var c30 = c00; var c31 = c00;
        float* a0 = a, a1 = a + lda, a2 = a + 2L * lda, a3 = a + 3L * lda;
        for (int kk = 0; kk < k; kk++)
        {
            float* brow = b + (long)kk * ldb;
            var y0 = Vector256.Load(brow);
            var y1 = Vector256.Load(brow + 8);
            long o = (long)kk * ak;
            var x = Vector256.Create(a0[o]);
            c00 = Vector256.FusedMultiplyAdd(x, y0, c00); c01 = Vector256.FusedMultiplyAdd(x, y1, c01);
            x = Vector256.Create(a1[o]);
            c10 = Vector256.FusedMultiplyAdd(x, y0, c10); c11 = Vector256.FusedMultiplyAdd(x, y1, c11);
            x = Vector256.Create(a2[o]);
            c20 = Vector256.FusedMultiplyAdd(x, y0, c20); c21 = Vector256.FusedMultiplyAdd(x, y1, c21);
            x = Vector256.Create(a3[o]);
            c30 = Vector256.FusedMultiplyAdd(x, y0, c30); c31 = Vector256.FusedMultiplyAdd(x, y1, c31);
        }
        var al = Vector256.Create(alpha);
        StoreRow(c, c00 * al, c01 * al, accumulate);
        StoreRow(c + ldc, c10 * al, c11 * al, accumulate);
        StoreRow(c + 2L * ldc, c20 * al, c21 * al, accumulate);
        StoreRow(c + 3L * ldc, c30 * al, c31 * al, accumulate);
    }

    /// <summary>dst[j*ldd+i] = src[srcOff+i*lds+j] for a rows x cols source.</summary>
    public static void Transpose(float[] src, int srcOff, int lds, int rows, int cols, float[] dst, int dstOff, int ldd)
    {
        const int tile = 32;
        for (int i0 = 0; i0 < rows; i0 += tile)
        {
            int i1 = Math.Min(rows, i0 + tile);
            for (int j0 = 0; j0 < cols; j0 += tile)
            {
                int j1 = Math.Min(cols, j0 + tile);
                for (int i = i0; i < i1; i++)
                {
                    int s = srcOff + i * lds;
                    for (int j = j0; j < j1; j++)
                        dst[dstOff + j * ldd + i] = src[s + j];
                }
            }
        }
    }

    private static void CheckRange(float[] x, int off, int ld, int rows, int cols, string name)
    {
        if (off < 0 || ld < cols || (long)off + (long)(rows - 1) * ld + cols > x.Length)
            throw new ArgumentException($"matrix {name} [{rows}x{cols}] with offset {off} and stride {ld} does not fit in {x.Length} values");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Rows(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
        int i0, int i1, int jStart, int jEnd, int k, bool accumulate, float alpha)
    {
        fixed (float* pa0 = a, pb0 = b, pc0 = c)
        {
            float* pa = pa0 + aOff, pb = pb0 + bOff, pc = pc0 + cOff;
            for (int j0 = jStart; j0 < jEnd; j0 += BlockN)
            {
                int j1 = Math.Min(jEnd, j0 + BlockN);
                int i = i0;
                for (; i + 4 <= i1; i += 4)
                {
                    int j = j0;
                    for (; j + 4 <= j1; j += 4)
                        Kernel4x4(pa + (long)i * lda, lda, pb + (long)j * ldb, ldb, pc + (long)i * ldc + j, ldc, k, accumulate, alpha);
                    for (; j < j1; j++)
                        for (int r = 0; r < 4; r++)
                            Store(pc + (long)(i + r) * ldc + j, Dot(pa + (long)(i + r) * lda, pb + (long)j * ldb, k), accumulate, alpha);
                }
                for (; i < i1; i++)
                    for (int j = j0; j < j1; j++)
                        Store(pc + (long)i * ldc + j, Dot(pa + (long)i * lda, pb + (long)j * ldb, k), accumulate, alpha);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* c, float value, bool accumulate, float alpha)
    {
        *c = accumulate ? *c + alpha * value : alpha * value;
    }

    private static unsafe float Dot(float* x, float* y, int k) =>
        System.Numerics.Tensors.TensorPrimitives.Dot(new ReadOnlySpan<float>(x, k), new ReadOnlySpan<float>(y, k));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel4x4(float* a, int lda, float* b, int ldb, float* c, int ldc, int k, bool accumulate, float alpha)
    {
        float* s = stackalloc float[16];
        if (Vector512.IsHardwareAccelerated && k >= 16)
            Kernel4x4V512(a, lda, b, ldb, k, s);
        else if (Vector256.IsHardwareAccelerated && k >= 8)
            Kernel4x4V256(a, lda, b, ldb, k, s);
        else
            for (int r = 0; r < 4; r++)
                for (int q = 0; q < 4; q++)
                    s[r * 4 + q] = 0;
        int kv = Vector512.IsHardwareAccelerated && k >= 16 ? k / 16 * 16 : Vector256.IsHardwareAccelerated && k >= 8 ? k / 8 * 8 : 0;
        for (int kk = kv; kk < k; kk++)
            for (int r = 0; r < 4; r++)
            {
                float av = a[(long)r * lda + kk];
                for (int q = 0; q < 4; q++)
                    s[r * 4 + q] += av * b[(long)q * ldb + kk];
            }
        for (int r = 0; r < 4; r++)
            for (int q = 0; q < 4; q++)
                Store(c + (long)r * ldc + q, s[r * 4 + q], accumulate, alpha);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel4x4V512(float* a, int lda, float* b, int ldb, int k, float* s)
    {
        var c00 = Vector512<float>.Zero; var c01 = c00; var c02 = c00; var c03 = c00;
        var c10 = c00; var c11 = c00; var c12 = c00; var c13 = c00;
        var c20 = c00; var c21 = c00; var c22 = c00; var c23 = c00;
        var c30 = c00; var c31 = c00; var c32 = c00; var c33 = c00;
        float* a0 = a, a1 = a + lda, a2 = a + 2L * lda, a3 = a + 3L * lda;
        float* b0 = b, b1 = b + ldb, b2 = b + 2L * ldb, b3 = b + 3L * ldb;
        int end = k - 16;
        for (int kk = 0; kk <= end; kk += 16)
        {
            var x0 = Vector512.Load(a0 + kk); var x1 = Vector512.Load(a1 + kk);
            var x2 = Vector512.Load(a2 + kk); var x3 = Vector512.Load(a3 + kk);
            var y = Vector512.Load(b0 + kk);
            c00 = Vector512.FusedMultiplyAdd(x0, y, c00); c10 = Vector512.FusedMultiplyAdd(x1, y, c10);
            c20 = Vector512.FusedMultiplyAdd(x2, y, c20); c30 = Vector512.FusedMultiplyAdd(x3, y, c30);
            y = Vector512.Load(b1 + kk);
            c01 = Vector512.FusedMultiplyAdd(x0, y, c01); c11 = Vector512.FusedMultiplyAdd(x1, y, c11);
            c21 = Vector512.FusedMultiplyAdd(x2, y, c21); c31 = Vector512.FusedMultiplyAdd(x3, y, c31);
            y = Vector512.Load(b2 + kk);
            c02 = Vector512.FusedMultiplyAdd(x0, y, c02); c12 = Vector512.FusedMultiplyAdd(x1, y, c12);
            c22 = Vector512.FusedMultiplyAdd(x2, y, c22); c32 = Vector512.FusedMultiplyAdd(x3, y, c32);
            y = Vector512.Load(b3 + kk);
            c03 = Vector512.FusedMultiplyAdd(x0, y, c03); c13 = Vector512.FusedMultiplyAdd(x1, y, c13);
            c23 = Vector512.FusedMultiplyAdd(x2, y, c23); c33 = Vector512.FusedMultiplyAdd(x3, y, c33);
        }
        s[0] = Vector512.Sum(c00); s[1] = Vector512.Sum(c01); s[2] = Vector512.Sum(c02); s[3] = Vector512.Sum(c03);
        s[4] = Vector512.Sum(c10); s[5] = Vector512.Sum(c11); s[6] = Vector512.Sum(c12); s[7] = Vector512.Sum(c13);
        s[8] = Vector512.Sum(c20); s[9] = Vector512.Sum(c21); s[10] = Vector512.Sum(c22); s[11] = Vector512.Sum(c23);
        s[12] = Vector512.Sum(c30); s[13] = Vector512.Sum(c31); s[14] = Vector512.Sum(c32); s[15] = Vector512.Sum(c33);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel4x4V256(float* a, int lda, float* b, int ldb, int k, float* s)
    {
        var c00 = Vector256<float>.Zero; var c01 = c00; var c02 = c00; var c03 = c00;
        var c10 = c00; var c11 = c00; var c12 = c00; var c13 = c00;
        var c20 = c00; var c21 = c00; var c22 = c00; var c23 = c00;
        var c30 = c00; var c31 = c00; var c32 = c00; var c33 = c00;
        float* a0 = a, a1 = a + lda, a2 = a + 2L * lda, a3 = a + 3L * lda;
        float* b0 = b, b1 = b + ldb, b2 = b + 2L * ldb, b3 = b + 3L * ldb;
        int end = k - 8;
        for (int kk = 0; kk <= end; kk += 8)
        {
            var x0 = Vector256.Load(a0 + kk); var x1 = Vector256.Load(a1 + kk);
            var x2 = Vector256.Load(a2 + kk); var x3 = Vector256.Load(a3 + kk);
            var y = Vector256.Load(b0 + kk);
            c00 = Vector256.FusedMultiplyAdd(x0, y, c00); c10 = Vector256.FusedMultiplyAdd(x1, y, c10);
            c20 = Vector256.FusedMultiplyAdd(x2, y, c20); c30 = Vector256.FusedMultiplyAdd(x3, y, c30);
            y = Vector256.Load(b1 + kk);
            c01 = Vector256.FusedMultiplyAdd(x0, y, c01); c11 = Vector256.FusedMultiplyAdd(x1, y, c11);
            c21 = Vector256.FusedMultiplyAdd(x2, y, c21); c31 = Vector256.FusedMultiplyAdd(x3, y, c31);
            y = Vector256.Load(b2 + kk);
            c02 = Vector256.FusedMultiplyAdd(x0, y, c02); c12 = Vector256.FusedMultiplyAdd(x1, y, c12);
            c22 = Vector256.FusedMultiplyAdd(x2, y, c22); c32 = Vector256.FusedMultiplyAdd(x3, y, c32);
            y = Vector256.Load(b3 + kk);
            c03 = Vector256.FusedMultiplyAdd(x0, y, c03); c13 = Vector256.FusedMultiplyAdd(x1, y, c13);
            c23 = Vector256.FusedMultiplyAdd(x2, y, c23); c33 = Vector256.FusedMultiplyAdd(x3, y, c33);
        }
        s[0] = Vector256.Sum(c00); s[1] = Vector256.Sum(c01); s[2] = Vector256.Sum(c02); s[3] = Vector256.Sum(c03);
        s[4] = Vector256.Sum(c10); s[5] = Vector256.Sum(c11); s[6] = Vector256.Sum(c12); s[7] = Vector256.Sum(c13);
        s[8] = Vector256.Sum(c20); s[9] = Vector256.Sum(c21); s[10] = Vector256.Sum(c22); s[11] = Vector256.Sum(c23);
        s[12] = Vector256.Sum(c30); s[13] = Vector256.Sum(c31); s[14] = Vector256.Sum(c32); s[15] = Vector256.Sum(c33);
    }
}
