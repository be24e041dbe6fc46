using RerankKit.Retrieval;

namespace RerankKit.Tests.Retrieval;

/// <summary>A memory-mapped matrix after Dispose: reads throw instead of touching unmapped memory, and a second
/// Dispose does not release the view again.</summary>
public sealed class VectorMatrixDisposeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rk-vectors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Disposed_mapped_matrix_throws_ObjectDisposedException_and_disposes_once()
    {
        string path = Path.Combine(_dir, "vectors.f32");
        new VectorMatrix([1f, 2f, 3f, 4f, 5f, 6f], 2, 3).Save(path);
        var matrix = VectorMatrix.Map(path, 2, 3);
        Assert.Equal([4f, 5f, 6f], matrix.Row(1).ToArray());

        matrix.Dispose();
        matrix.Dispose();

        Assert.Throws<ObjectDisposedException>(() => matrix.Row(1)[0]);
        Assert.Throws<ObjectDisposedException>(() => matrix.DotAll([1f, 0f, 0f], new float[2]));
    }

    [Fact]
    public void Disposed_in_memory_matrix_throws_ObjectDisposedException()
    {
        var matrix = new VectorMatrix([1f, 2f], 1, 2);
        matrix.Dispose();
        Assert.Throws<ObjectDisposedException>(() => matrix.Row(0)[0]);
    }
}
