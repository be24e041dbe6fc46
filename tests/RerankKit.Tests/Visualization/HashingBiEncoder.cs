using RerankKit.Tests.Infrastructure;
namespace RerankKit.Tests.Visualization;

/// <summary>A deterministic stand-in bi-encoder: each word maps to a fixed pseudo-random vector (FNV-1a seeded)
/// and a text is the sum of its words, so texts sharing words are similar.</summary>
internal sealed class HashingBiEncoder(string name, int dimension = 32, double noise = 0) : RoleRecordingBiEncoder
{
    public override string ModelName => name;

    public override int Dimension => dimension;

    public int Calls { get; private set; }

    public override float[][] Encode(IReadOnlyList<string> texts, EncodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        return texts.Select(Embed).ToArray();
    }

    private float[] Embed(string text)
    {
        var v = new float[dimension];
        foreach (var word in text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var rng = new Random(Fnv(word));
            for (int d = 0; d < dimension; d++)
                v[d] += (float)(rng.NextDouble() - 0.5);
        }
        if (noise > 0)
        {
            var rng = new Random(Fnv(text) ^ 7);
            for (int d = 0; d < dimension; d++)
                v[d] += (float)(noise * (rng.NextDouble() - 0.5));
        }
        return v;
    }

    private static int Fnv(string s)
    {
        uint h = 2166136261;
        foreach (char c in s)
            h = (h ^ c) * 16777619;
        return (int)(h & 0x7fffffff);
    }
}
