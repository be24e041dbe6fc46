using System.Runtime.InteropServices;
using RerankKit.LateInteraction;

namespace RerankKit.Retrieval;

/// <summary>Every document's ColBERT token vectors, concatenated row-major (<c>colbert.f32</c>), with each
/// document's first row (<c>colbert.offsets.i64</c>, one more entry than documents). Exact MaxSim over all documents
/// scores a query; at SciFact scale (5,183 documents) that is a full scan, measured by <c>eval --first-stage colbert</c>.</summary>
public sealed class TokenVectorStore
{
    internal const string VectorsFile = "colbert.f32";
    internal const string OffsetsFile = "colbert.offsets.i64";

    private readonly float[] _values;
    private readonly long[] _offsets;

    private TokenVectorStore(float[] values, long[] offsets, int dimension)
    {
        _values = values;
        _offsets = offsets;
        Dimension = dimension;
    }

    public int DocumentCount => _offsets.Length - 1;

    public int Dimension { get; }

    public long TokenCount => _offsets[^1];

    public static TokenVectorStore FromDocuments(IReadOnlyList<TokenVectors> documents, int dimension)
    {
        var offsets = new long[documents.Count + 1];
        for (int i = 0; i < documents.Count; i++)
        {
            if (documents[i].Dimension != dimension)
                throw new ArgumentException($"document {i} has {documents[i].Dimension}-dimensional token vectors, not {dimension}");
            offsets[i + 1] = offsets[i] + documents[i].Count;
        }
        var values = new float[checked((int)(offsets[^1] * dimension))];
        for (int i = 0; i < documents.Count; i++)
            documents[i].Values.CopyTo(values, offsets[i] * dimension);
        return new TokenVectorStore(values, offsets, dimension);
    }

    /// <summary>One document's token vectors (a copy-free view as a <see cref="TokenVectors"/> needs its own array,
    /// so this copies; scoring uses <see cref="MaxSimAll"/> instead).</summary>
    public TokenVectors Document(int index)
    {
        int count = (int)(_offsets[index + 1] - _offsets[index]);
        var values = _values.AsSpan((int)(_offsets[index] * Dimension), count * Dimension).ToArray();
        return new TokenVectors(values, count, Dimension, new string[count]);
    }

    /// <summary>MaxSim of the query against every document, in document order, spread over the cores.</summary>
    public float[] MaxSimAll(TokenVectors query, CancellationToken cancellationToken = default)
    {
        if (query.Dimension != Dimension)
            throw new ArgumentException($"the query has {query.Dimension}-dimensional vectors, the index {Dimension}");
        var scores = new float[DocumentCount];
        Parallel.For(0, DocumentCount, new ParallelOptions { CancellationToken = cancellationToken }, d =>
        {
            int start = (int)_offsets[d], end = (int)_offsets[d + 1];
            float total = 0;
            for (int q = 0; q < query.Count; q++)
            {
                var row = query.Row(q);
                float max = float.NegativeInfinity;
                for (int t = start; t < end; t++)
                    max = MathF.Max(max, System.Numerics.Tensors.TensorPrimitives.Dot(row, _values.AsSpan(t * Dimension, Dimension)));
                total += end > start ? max : 0;
            }
            scores[d] = total;
        });
        return scores;
    }

    public void Save(string vectorsPath, string offsetsPath)
    {
        File.WriteAllBytes(vectorsPath, MemoryMarshal.AsBytes(_values.AsSpan()).ToArray());
        File.WriteAllBytes(offsetsPath, MemoryMarshal.AsBytes(_offsets.AsSpan()).ToArray());
    }

    public static TokenVectorStore Load(string vectorsPath, string offsetsPath, int documentCount, int dimension)
    {
        var offsets = MemoryMarshal.Cast<byte, long>(File.ReadAllBytes(offsetsPath)).ToArray();
        if (offsets.Length != documentCount + 1 || offsets[0] != 0 || offsets.Zip(offsets.Skip(1)).Any(p => p.Second < p.First))
            throw new InvalidDataException($"{offsetsPath} does not hold {documentCount + 1} increasing offsets from 0");
        var bytes = File.ReadAllBytes(vectorsPath);
        if (bytes.LongLength != offsets[^1] * dimension * sizeof(float))
            throw new InvalidDataException($"{vectorsPath} has {bytes.LongLength} bytes, {offsets[^1]} token vectors of {dimension} floats need {offsets[^1] * dimension * sizeof(float)}");
        return new TokenVectorStore(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), offsets, dimension);
    }
}
