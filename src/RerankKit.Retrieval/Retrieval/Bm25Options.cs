namespace RerankKit.Retrieval;

/// <summary>BM25 parameters. The defaults are Anserini's (and Pyserini's) BEIR settings, k1 = 0.9 and b = 0.4,
/// rather than Lucene's and Elasticsearch's 1.2 / 0.75.</summary>
public sealed record Bm25Options
{
    public float K1 { get; init; } = 0.9f;

    public float B { get; init; } = 0.4f;

    public void Validate()
    {
        if (!(K1 >= 0) || !float.IsFinite(K1))
            throw new ArgumentException($"BM25 k1 must be a finite number >= 0 (got {K1}).");
        if (!(B >= 0 && B <= 1))
            throw new ArgumentException($"BM25 b must be between 0 and 1 (got {B}).");
    }
}
