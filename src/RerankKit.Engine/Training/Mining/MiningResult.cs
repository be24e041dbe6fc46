using System.Text.Json.Nodes;
using RerankKit.Training.Data;

namespace RerankKit.Training.Mining;

/// <summary>What <see cref="HardNegativeMiner"/> found, with the counts its summary prints.</summary>
public sealed record MiningResult(
    IReadOnlyList<MinedRow> Rows,
    IReadOnlyList<string> CorpusTexts,
    MiningOptions Options,
    string FirstStage,
    int Queries,
    int SkippedByMargin,
    int RowsWithoutEnoughNegatives)
{
    /// <summary>Rows as they go into the JSONL file. Triplet: one row per negative; n-tuple: only rows that found
    /// all <c>NumNegatives</c> negatives; labeled-pair: the positive (label 1) then each negative (label 0).</summary>
    public IEnumerable<JsonObject> OutputRows()
    {
        foreach (var row in Rows)
        {
            string query = row.Query.Text, positive = CorpusTexts[row.Positive];
            switch (Options.Format)
            {
                case TrainingFormat.Triplet:
                    foreach (var n in row.Negatives)
                        yield return new JsonObject { ["query"] = query, ["positive"] = positive, ["negative"] = CorpusTexts[n.Document] };
                    break;
                case TrainingFormat.NTuple:
                    if (row.Negatives.Count < Options.NumNegatives)
                        break;
                    var tuple = new JsonObject { ["query"] = query, ["positive"] = positive };
                    for (int i = 0; i < row.Negatives.Count; i++)
                        tuple[$"negative_{i + 1}"] = CorpusTexts[row.Negatives[i].Document];
                    yield return tuple;
                    break;
                default:
                    yield return new JsonObject { ["query"] = query, ["document"] = positive, ["label"] = 1 };
                    foreach (var n in row.Negatives)
                        yield return new JsonObject { ["query"] = query, ["document"] = CorpusTexts[n.Document], ["label"] = 0 };
                    break;
            }
        }
    }

    public IReadOnlyList<float> PositiveScores => Rows.Select(r => r.PositiveScore).ToList();

    /// <summary>Rows whose positive the first stage does not retrieve at all (BM25: no shared term).</summary>
    public int PositivesNotRetrieved => Rows.Count(r => float.IsNegativeInfinity(r.PositiveScore));

    public IReadOnlyList<float> NegativeScores => Rows.SelectMany(r => r.Negatives.Select(n => n.Score)).ToList();

    /// <summary>Positive minus negative score over every mined (positive, negative) couple.</summary>
    public IReadOnlyList<float> Differences => Rows.SelectMany(r => r.Negatives.Select(n => r.PositiveScore - n.Score)).ToList();

    public int NegativeCount => Rows.Sum(r => r.Negatives.Count);
}
