using System.Numerics.Tensors;

namespace RerankKit.Training.Mining;

/// <summary>Cosine similarity of normalised bi-encoder embeddings; the corpus is embedded once. Queries and documents
/// carry the model's query and document prompts, as sentence-transformers' encode_query and encode_document.</summary>
public sealed class DenseCorpusScorer : ICorpusScorer
{
    private readonly EngineEmbedder _embedder;
    private readonly float[] _corpus;

    public DenseCorpusScorer(EngineEmbedder embedder, IReadOnlyList<string> corpus, IProgress<int>? progress = null)
    {
        _embedder = embedder;
        CorpusSize = corpus.Count;
        _corpus = embedder.Encode(corpus, embedder.Prompts.DocumentPrompt, progress: progress);
    }

    public string Name => "dense";

    public int CorpusSize { get; }

    public float[] ScoreAll(string query)
    {
        int d = _embedder.Dimension;
        var q = _embedder.Encode([query], _embedder.Prompts.QueryPrompt);
        var scores = new float[CorpusSize];
        for (int i = 0; i < scores.Length; i++)
            scores[i] = TensorPrimitives.Dot(q, _corpus.AsSpan(i * d, d));
        return scores;
    }
}
