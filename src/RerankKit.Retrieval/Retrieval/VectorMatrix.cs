using RerankKit.IO;
using System.IO.MemoryMappedFiles;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace RerankKit.Retrieval;

/// <summary>Row-major float32 vectors in one contiguous block, either in memory or memory-mapped from a file
/// (raw little-endian floats, no header) so a reloaded index does not copy its vectors onto the heap.</summary>
public sealed unsafe class VectorMatrix : IDisposable
{
    private readonly float[]? _array;
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly float* _mapped;
    private int _disposed;

    public VectorMatrix(float[] values, int count, int dimension)
    {
        if (dimension <= 0 || count < 0 || values.Length != (long)count * dimension)
            throw new ArgumentException($"A {count} x {dimension} matrix needs {(long)count * dimension} values, got {values.Length}.");
        _array = values;
        Count = count;
        Dimension = dimension;
    }

    private VectorMatrix(MemoryMappedFile file, MemoryMappedViewAccessor view, int count, int dimension)
    {
        _file = file;
        _view = view;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _mapped = (float*)(pointer + view.PointerOffset);
        Count = count;
        Dimension = dimension;
    }

    public int Count { get; }

    public int Dimension { get; }

    public bool IsMemoryMapped => _file is not null;

    /// <summary>A row; after <see cref="Dispose"/> this throws <see cref="ObjectDisposedException"/> rather than
    /// reading through a pointer into a view that has been unmapped.</summary>
    public ReadOnlySpan<float> Row(int index)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index));
        return _array is not null
            ? _array.AsSpan(index * Dimension, Dimension)
            : new ReadOnlySpan<float>(_mapped + (long)index * Dimension, Dimension);
    }

    /// <summary>Dot product of <paramref name="query"/> with every row (cosine when both sides are normalized).</summary>
    public void DotAll(ReadOnlySpan<float> query, Span<float> scores)
    {
        if (query.Length != Dimension)
            throw new ArgumentException($"Query vector has {query.Length} dimensions; the index has {Dimension}.");
        for (int i = 0; i < Count; i++)
            scores[i] = TensorPrimitives.Dot(query, Row(i));
    }

    /// <summary>Builds a matrix from per-text embeddings, checking they all have one dimension.</summary>
    public static VectorMatrix FromRows(IReadOnlyList<float[]> rows, int dimension)
    {
        var values = new float[(long)rows.Count * dimension];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != dimension)
                throw new InvalidDataException($"Embedding {i} has {rows[i].Length} dimensions, expected {dimension}.");
            rows[i].CopyTo(values, (long)i * dimension);
        }
        return new VectorMatrix(values, rows.Count, dimension);
    }

    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        for (int i = 0; i < Count; i++)
            stream.Write(MemoryMarshal.AsBytes(Row(i)));
    });

    /// <summary>Maps a file written by <see cref="Save"/>; its size must be exactly count x dimension floats.</summary>
    public static VectorMatrix Map(string path, int count, int dimension)
    {
        long expected = (long)count * dimension * sizeof(float);
        long actual = new FileInfo(path).Length;
        if (actual != expected)
            throw new InvalidDataException($"{path} holds {actual} bytes; {count} vectors of {dimension} floats need {expected}");
        if (expected == 0)
            return new VectorMatrix([], count, dimension);
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        var view = file.CreateViewAccessor(0, expected, MemoryMappedFileAccess.Read);
        return new VectorMatrix(file, view, count, dimension);
    }

    /// <summary>Unmaps the file; a second call does nothing (releasing the pointer twice would unmap a view that
    /// the first call already freed).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _file?.Dispose();
    }
}
