using RerankKit.Retrieval;

namespace RerankKit.Training.Mining;

/// <summary>BM25 over the corpus; documents sharing no term with the query are not candidates (score -inf), as BM25
/// would never retrieve them.</summary>
public sealed class Bm25CorpusScorer(IReadOnlyList<string> corpus) : ICorpusScorer, IDisposable
{
    private readonly Bm25Index _index = Bm25Index.Build(corpus);
    private readonly EnglishTextAnalyzer _analyzer = new();

    public string Name => "bm25";

    public int CorpusSize => _index.DocumentCount;

    public float[] ScoreAll(string query)
    {
        var scores = new float[_index.DocumentCount];
        _index.Score(_analyzer.Analyze(query), scores);
        for (int i = 0; i < scores.Length; i++)
            if (scores[i] <= 0)
                scores[i] = float.NegativeInfinity;
        return scores;
    }

    public void Dispose() => _analyzer.Dispose();
}
