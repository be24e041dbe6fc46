namespace RerankKit.Training.Mining;

/// <summary>A first stage seen as a scoring function: the score of every corpus document for a query (higher is
/// better), so the miner can read the positive's score and rank everything else. Negative infinity marks a
/// document the first stage would not retrieve at all.</summary>
public interface ICorpusScorer
{
    string Name { get; }

    int CorpusSize { get; }

    float[] ScoreAll(string query);
}
