using RerankKit.IO;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RerankKit.Training.Data;

/// <summary>The rows of a training JSONL file. Ranking rows (triplets, n-tuples) and labeled pairs convert into each
/// other the way each loss needs them: BCE takes pairs, listwise and MNRL take a positive with its negatives.</summary>
public sealed class TrainingDataset
{
    private TrainingDataset(IReadOnlyList<RankingExample> ranking, IReadOnlyList<LabeledPair> pairs)
    {
        Ranking = ranking;
        Pairs = pairs;
    }

    /// <summary>Rows with a positive and negatives (empty when the file holds labeled pairs).</summary>
    public IReadOnlyList<RankingExample> Ranking { get; }

    /// <summary>Labeled rows (empty when the file holds triplets or n-tuples).</summary>
    public IReadOnlyList<LabeledPair> Pairs { get; }

    public int Count => Ranking.Count + Pairs.Count;

    public static TrainingDataset FromRanking(IReadOnlyList<RankingExample> rows) => new(rows, []);

    public static TrainingDataset FromPairs(IReadOnlyList<LabeledPair> rows) => new([], rows);

    /// <summary>Every row as labeled pairs: a ranking row gives its positive (label 1) and each negative (label 0).</summary>
    public IReadOnlyList<LabeledPair> AsLabeledPairs() => Pairs.Count > 0
        ? Pairs
        : Ranking.SelectMany(r => r.Negatives.Select(n => new LabeledPair(r.Query, n, 0f)).Prepend(new LabeledPair(r.Query, r.Positive, 1f))).ToList();

    /// <summary>Every row as a positive with negatives. Labeled pairs are grouped by query (first-seen order): each
    /// positive (label &gt;= 0.5) becomes a row with all of that query's negatives.</summary>
    public IReadOnlyList<RankingExample> AsRankingExamples()
    {
        if (Ranking.Count > 0 || Pairs.Count == 0)
            return Ranking;
        var rows = new List<RankingExample>();
        foreach (var group in Pairs.GroupBy(p => p.Query, StringComparer.Ordinal))
        {
            var negatives = group.Where(p => p.Label < 0.5f).Select(p => p.Document).ToList();
            rows.AddRange(group.Where(p => p.Label >= 0.5f).Select(p => new RankingExample(group.Key, p.Document, negatives)));
        }
        return rows;
    }

    public static TrainingDataset Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"training file not found: {path}", path);
        var ranking = new List<RankingExample>();
        var pairs = new List<LabeledPair>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            JsonElement row;
            try
            {
                using var doc = JsonDocument.Parse(line);
                row = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a JSON object ({e.Message})");
            }
            string query = Text(row, "query", "anchor") ?? throw new InvalidDataException($"{path}:{lineNumber}: a row needs \"query\"");
            string? positive = Text(row, "positive", "answer");
            string? document = Text(row, "document", "passage");
            if (positive is not null && !row.TryGetProperty("label", out _))
            {
                var negatives = new List<string>();
                if (Text(row, "negative") is { } single)
                    negatives.Add(single);
                for (int n = 1; Text(row, $"negative_{n}") is { } numbered; n++)
                    negatives.Add(numbered);
                ranking.Add(new RankingExample(query, positive, negatives));
            }
            else if ((document ?? positive) is { } text && row.TryGetProperty("label", out var label) && label.ValueKind == JsonValueKind.Number)
                pairs.Add(new LabeledPair(query, text, label.GetSingle()));
            else
                throw new InvalidDataException($"{path}:{lineNumber}: expected \"positive\" (+ \"negative\"/\"negative_N\") or \"document\" + \"label\"");
        }
        if (ranking.Count > 0 && pairs.Count > 0)
            throw new InvalidDataException($"{path} mixes labeled pairs with triplets; use one format per file");
        if (ranking.Count + pairs.Count == 0)
            throw new InvalidDataException($"{path} has no training rows");
        return new TrainingDataset(ranking, pairs);
    }

    /// <summary>Writes JSON rows (one per line) atomically.</summary>
    public static void Write(string path, IEnumerable<JsonObject> rows)
    {
        AtomicFile.WriteText(path, writer =>
        {
            foreach (var row in rows)
                writer.WriteLine(row.ToJsonString());
        });
    }

    private static string? Text(JsonElement row, params string[] names)
    {
        foreach (var name in names)
            if (row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String)
                return v.GetString();
        return null;
    }
}
