using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RerankKit.Engine;

/// <summary>The engine's matrix multiplies, hand-written because no BLAS ships for .NET here. Every product is one
/// packed-panel GEMM: a column block of B (all of its depth, up to <see cref="ColumnBlock"/> columns) is copied into
/// contiguous panels of the kernel's width, each worker copies its rows of A one depth block at a time into panels of
/// the kernel's height, and the register-tiled kernel of <see cref="MatMulKernels"/> streams both. Packing reads any
/// strides, so transposed operands (a weight in PyTorch layout [out, in], dYᵀ for a weight gradient, Kᵀ in attention)
/// cost nothing beyond the copy the packing makes anyway.</summary>
internal static class MatMul
{
    /// <summary>Depth of a packed block: a 32-wide B panel of it (24 KB) stays in L1 while A's rows stream past.</summary>
    private const int DepthBlock = 192;

    /// <summary>Rows of A a worker packs at once (144 x 192 floats = 108 KB, in L2); a multiple of every kernel height.</summary>
    private const int RowBlock = 144;

    /// <summary>Columns of B packed at once (with all of its depth: 384 x 1536 floats = 2.4 MB for a MiniLM feed-forward
    /// weight): the widest MiniLM/BERT-base weight in one block.</summary>
    private const int ColumnBlock = 1536;

    /// <summary>Depth of B packed at once: a whole weight gradient's at 8 x 256 tokens (2,048), while a larger batch's
    /// packed copy of B stays at 3,072 x 1536 floats (19 MB).</summary>
    private const int DepthPack = 16 * DepthBlock;

    private const long ParallelWork = 1L << 20;

    /// <summary>Room after A's panels for the tail of <see cref="Transpose16.Block"/>'s last overlapping store.</summary>
    private const int PanelSlack = 16;

    [ThreadStatic]
    private static float[]? t_aPanels;

    /// <summary>C[i*ldc+j] (+)= alpha · Σ_k A[aOff+i*lda+k] · B[bOff+j*ldb+k] for i &lt; m, j &lt; n: both operands
    /// row-major along K, as a PyTorch weight [out, in] is stored.</summary>
    public static void ABt(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
        int m, int n, int k, bool accumulate = false, float alpha = 1f, int threads = 1) =>
        Multiply(a, aOff, lda, 1, b, bOff, 1, ldb, c, cOff, ldc, m, n, k, accumulate, alpha, threads);

    /// <summary>C[i*ldc+j] (+)= alpha · Σ_k A[aOff+i*lda+k*ak] · B[bOff+k*ldb+j]: B row-major along N, A with any
    /// strides (ak = 1 for row-major A; lda = 1, ak = rows for a transposed one).</summary>
    public static void AB(float[] a, int aOff, int lda, int ak, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
        int m, int n, int k, bool accumulate = false, float alpha = 1f, int threads = 1) =>
        Multiply(a, aOff, lda, ak, b, bOff, ldb, 1, c, cOff, ldc, m, n, k, accumulate, alpha, threads);

    /// <summary>C[cOff+i*ldc+j] (+)= alpha · Σ_p A(i, p) · B(p, j) with A(i, p) = a[aOff + i*aRow + p*aCol] and
    /// B(p, j) = b[bOff + p*bRow + j*bCol]. Large products are split by rows of C across up to
    /// <paramref name="threads"/> workers, which share one packed copy of B.</summary>
    public static void Multiply(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int bRow, int bCol,
        float[] c, int cOff, int ldc, int m, int n, int k, bool accumulate = false, float alpha = 1f, int threads = 1)
    {
        if (m == 0 || n == 0)
            return;
        CheckStrided(a, aOff, aRow, aCol, m, k, nameof(a));
        CheckStrided(b, bOff, bRow, bCol, k, n, nameof(b));
        CheckStrided(c, cOff, ldc, 1, m, n, nameof(c));
        if (k == 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++)
                    Array.Clear(c, cOff + i * ldc, n);
            return;
        }
        var kernel = MatMulKernels.Current;
        int workers = (long)m * n * k >= ParallelWork ? Math.Max(1, threads) : 1;
        int chunks = Math.Max(workers, (m + RowBlock - 1) / RowBlock);
        chunks = (chunks + workers - 1) / workers * workers;
        int rowsPerChunk = RoundUp((m + chunks - 1) / chunks, kernel.Rows);
        chunks = (m + rowsPerChunk - 1) / rowsPerChunk;
        int columnBlock = Math.Min(RoundUp(n, kernel.Columns), ColumnBlock);
        // All of B's depth for one column block (up to DepthPack) is packed before any row of C is computed, so each
        // worker then runs its rows of C through every depth block while they are still in its cache, with one fork
        // and join for the packing and one for the product instead of two per depth block.
        var bPanels = ArrayPool<float>.Shared.Rent(Math.Min(k, DepthPack) * columnBlock);
        var options = workers > 1 ? new ParallelOptions { MaxDegreeOfParallelism = workers } : null;
        try
        {
            for (int j0 = 0; j0 < n; j0 += columnBlock)
            {
                int cols = Math.Min(columnBlock, n - j0);
                int colsPadded = RoundUp(cols, kernel.Columns);
                for (int s0 = 0; s0 < k; s0 += DepthPack)
                {
                    int span = Math.Min(DepthPack, k - s0);
                    int depthBlocks = (span + DepthBlock - 1) / DepthBlock;
                    var block = new Block(a, aOff + s0 * aCol, aRow, aCol, b, bOff + s0 * bRow + j0 * bCol, bRow, bCol, bPanels,
                        c, cOff + j0, ldc, m, cols, colsPadded, span, accumulate || s0 > 0, alpha, rowsPerChunk, kernel);
                    if (options is null || depthBlocks == 1)
                        for (int q = 0; q < depthBlocks; q++)
                            block.Pack(q);
                    else
                        Parallel.For(0, depthBlocks, options, block.Pack);
                    if (options is null)
                        for (int chunk = 0; chunk < chunks; chunk++)
                            block.Run(chunk);
                    else
                        Parallel.For(0, chunks, options, block.Run);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(bPanels);
        }
    }

    /// <summary>The product of A with one column block of B: <see cref="Pack"/> copies a depth block of B into panels
    /// (depth block q at q·<see cref="DepthBlock"/>·colsPadded), <see cref="Run"/> computes a chunk of C's rows
    /// through every depth block.</summary>
    private sealed class Block(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int bRow, int bCol, float[] bPanels,
        float[] c, int cOff, int ldc, int m, int cols, int colsPadded, int k, bool accumulate, float alpha, int rowsPerChunk,
        MatMulKernels.Kernel kernel)
    {
        public void Pack(int q)
        {
            int p0 = q * DepthBlock, depth = Math.Min(DepthBlock, k - p0);
            PackB(b, bOff + p0 * bRow, bRow, bCol, depth, cols, kernel.Columns, bPanels, p0 * colsPadded);
        }

        public void Run(int chunk)
        {
            int i0 = chunk * rowsPerChunk, rows = Math.Min(rowsPerChunk, m - i0);
            var aPanels = t_aPanels ??= new float[RowBlock * DepthBlock + PanelSlack];
            for (int p0 = 0; p0 < k; p0 += DepthBlock)
            {
                int depth = Math.Min(DepthBlock, k - p0);
                PackA(a, aOff + i0 * aRow + p0 * aCol, aRow, aCol, rows, depth, kernel.Rows, aPanels);
                // Later depth blocks add to what the first one wrote.
                Multiply(aPanels, bPanels, p0 * colsPadded, c, cOff + i0 * ldc, ldc, rows, cols, depth, accumulate || p0 > 0, alpha, kernel);
            }
        }

        private static unsafe void Multiply(float[] aPanels, float[] bPanels, int bStart, float[] c, int cOff, int ldc, int rows, int cols,
            int depth, bool accumulate, float alpha, MatMulKernels.Kernel kernel)
        {
            int mr = kernel.Rows, nr = kernel.Columns;
            float* tile = stackalloc float[mr * nr];
            fixed (float* pa = aPanels, pb0 = bPanels, pc0 = c)
            {
                float* pb = pb0 + bStart;
                float* pc = pc0 + cOff;
                for (int j = 0; j < cols; j += nr)
                    for (int i = 0; i < rows; i += mr)
                    {
                        float* panelA = pa + (long)i * depth, panelB = pb + (long)j * depth, target = pc + (long)i * ldc + j;
                        int realRows = Math.Min(mr, rows - i), realCols = Math.Min(nr, cols - j);
                        if (realRows == mr && realCols == nr)
                            kernel.Run(panelA, panelB, depth, target, ldc, accumulate, alpha);
                        else
                        {
                            // The panels are zero-padded, so the whole tile is computed and only its real part kept.
                            kernel.Run(panelA, panelB, depth, tile, nr, false, alpha);
                            for (int r = 0; r < realRows; r++)
                                for (int q = 0; q < realCols; q++)
                                {
                                    float* cell = target + (long)r * ldc + q;
                                    *cell = accumulate ? *cell + tile[r * nr + q] : tile[r * nr + q];
                                }
                        }
                    }
            }
        }
    }

    /// <summary>Copies rows x depth of A into panels of <paramref name="mr"/> rows, each stored depth-major
    /// (panel[p*mr + r]), zero-padding the last panel's missing rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackA(float[] a, int aOff, int aRow, int aCol, int rows, int depth, int mr, float[] panels)
    {
        fixed (float* pa0 = a, pp0 = panels)
        {
            float* pa = pa0 + aOff;
            for (int i = 0; i < rows; i += mr)
            {
                float* panel = pp0 + (long)i * depth;
                int real = Math.Min(mr, rows - i);
                if (aRow == 1 && mr == 12 && real == 12)
                    for (int p = 0; p < depth; p++)
                    {
                        float* src = pa + i + (long)p * aCol;
                        float* dst = panel + (long)p * 12;
                        Vector256.Load(src).Store(dst);
                        Vector128.Load(src + 8).Store(dst + 8);
                    }
                else if (aRow == 1)
                    for (int p = 0; p < depth; p++)
                    {
                        float* src = pa + i + (long)p * aCol;
                        float* dst = panel + (long)p * mr;
                        for (int r = 0; r < real; r++)
                            dst[r] = src[r];
                        for (int r = real; r < mr; r++)
                            dst[r] = 0;
                    }
                else if (aCol == 1 && mr == 12 && real == 12 && Transpose16.IsSupported)
                {
                    // Row-major A: 16 columns of 12 rows at a time in registers; the overlapping stores run into
                    // the next panel (packed after this one) or into PanelSlack.
                    float* src = pa + (long)i * aRow;
                    int p = 0;
                    for (; p + 16 <= depth; p += 16)
                        Transpose16.Block(src + p, aRow, 12, panel + (long)p * 12, 12);
                    for (; p < depth; p++)
                        for (int r = 0; r < 12; r++)
                            panel[(long)p * 12 + r] = src[(long)r * aRow + p];
                }
                else
                {
                    for (int r = 0; r < real; r++)
                    {
                        float* src = pa + (long)(i + r) * aRow;
                        float* dst = panel + r;
                        for (int p = 0; p < depth; p++)
                            dst[(long)p * mr] = src[(long)p * aCol];
                    }
                    for (int r = real; r < mr; r++)
                        for (int p = 0; p < depth; p++)
                            panel[(long)p * mr + r] = 0;
                }
            }
        }
    }

    /// <summary>Copies depth x cols of B into panels of <paramref name="nr"/> columns, each stored depth-major
    /// (panel[p*nr + j]), zero-padding the last panel's missing columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackB(float[] b, int bOff, int bRow, int bCol, int depth, int cols, int nr, float[] panels, int panelsOff)
    {
        fixed (float* pb0 = b, pp00 = panels)
        {
            float* pp0 = pp00 + panelsOff;
            float* pb = pb0 + bOff;
            for (int j = 0; j < cols; j += nr)
            {
                float* panel = pp0 + (long)j * depth;
                int real = Math.Min(nr, cols - j);
                if (bCol == 1)
                    for (int p = 0; p < depth; p++)
                    {
                        float* src = pb + (long)p * bRow + j;
                        float* dst = panel + (long)p * nr;
                        new ReadOnlySpan<float>(src, real).CopyTo(new Span<float>(dst, real));
                        for (int q = real; q < nr; q++)
                            dst[q] = 0;
                    }
                else if (bRow == 1 && nr == 32 && Transpose16.IsSupported)
                    for (int q0 = 0; q0 < 32; q0 += 16)
                    {
                        // B = Wᵀ of a weight stored [out, in]: 16 of its rows (panel columns) at a time in registers.
                        int count = Math.Clamp(real - q0, 0, 16);
                        float* src = pb + (long)(j + q0) * bCol;
                        int p = 0;
                        if (count > 0)
                            for (; p + 16 <= depth; p += 16)
                                Transpose16.Block(src + p, bCol, count, panel + (long)p * 32 + q0, 32);
                        for (; p < depth; p++)
                            for (int q = 0; q < 16; q++)
                                panel[(long)p * 32 + q0 + q] = q < count ? src[(long)q * bCol + p] : 0;
                    }
                else
                {
                    for (int q = 0; q < real; q++)
                    {
                        float* src = pb + (long)(j + q) * bCol;
                        float* dst = panel + q;
                        for (int p = 0; p < depth; p++)
                            dst[(long)p * nr] = src[(long)p * bRow];
                    }
                    for (int q = real; q < nr; q++)
                        for (int p = 0; p < depth; p++)
                            panel[(long)p * nr + q] = 0;
                }
            }
        }
    }

    private static int RoundUp(int x, int unit) => (x + unit - 1) / unit * unit;

    private static void CheckStrided(float[] x, int off, int rowStride, int colStride, int rows, int cols, string name)
    {
        long last = (long)off + (long)(rows - 1) * rowStride + (long)(cols - 1) * colStride;
        if (off < 0 || rowStride < 0 || colStride < 0 || (cols > 0 && last >= x.Length))
            throw new ArgumentException($"matrix {name} [{rows}x{cols}] with offset {off} and strides {rowStride},{colStride} does not fit in {x.Length} values");
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
}
