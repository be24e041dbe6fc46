using RerankKit.Evaluation;

namespace RerankKit.Training.Mining;

/// <summary>Turns a BEIR split into mining input: every judged query with its relevant (grade &gt;= 1) documents.</summary>
public static class MiningQueries
{
    public static (IReadOnlyList<MiningQuery> Queries, IReadOnlyList<string> Corpus) FromBeir(BeirDataset dataset)
    {
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < dataset.Corpus.Count; i++)
            position.TryAdd(dataset.Corpus[i].Id, i);
        var queries = dataset.Queries
            .Select(q => new MiningQuery(q.Id, q.Text, dataset.Qrels.For(q.Id).Where(j => j.Value >= 1 && position.ContainsKey(j.Key)).Select(j => position[j.Key]).ToList()))
            .Where(q => q.Positives.Count > 0)
            .ToList();
        return (queries, dataset.Corpus.Select(d => d.FullText).ToList());
    }
}
