using System.Text.Json;
using RerankKit.Evaluation;

namespace RerankKit.Visualization;

/// <summary>Reads query/positive pairs: a JSON array or JSON Lines of {"query": ..., "positive": ...}, or a
/// BEIR folder (read by <see cref="BeirDataset"/>) where each query takes its first relevant document in
/// qrels order; a document is its title and text.</summary>
public static class PairDatasetReader
{
    public static IReadOnlyList<QueryPositivePair> Read(string path, string split = "test")
    {
        if (Directory.Exists(path))
            return ReadBeir(path, split);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Data file or BEIR folder not found: {path}");
        string text = File.ReadAllText(path);
        var pairs = text.TrimStart().StartsWith('[') ? ReadArray(text, path) : ReadLines(text, path);
        if (pairs.Count == 0)
            throw new InvalidDataException($"{path} holds no query/positive pairs.");
        return pairs;
    }

    private static List<QueryPositivePair> ReadArray(string text, string path)
    {
        using var doc = Parse(text, path);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path}: expected a JSON array of objects with \"query\" and \"positive\".");
        return doc.RootElement.EnumerateArray().Select((e, i) => Pair(e, $"{path} item {i + 1}")).ToList();
    }

    private static List<QueryPositivePair> ReadLines(string text, string path)
    {
        var pairs = new List<QueryPositivePair>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
                continue;
            using var doc = Parse(lines[i], $"{path} line {i + 1}");
            pairs.Add(Pair(doc.RootElement, $"{path} line {i + 1}"));
        }
        return pairs;
    }

    private static JsonDocument Parse(string text, string where)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: not valid JSON ({e.Message})");
        }
    }

    private static QueryPositivePair Pair(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object
            || !e.TryGetProperty("query", out var q) || q.ValueKind != JsonValueKind.String
            || !e.TryGetProperty("positive", out var p) || p.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{where}: expected an object with string fields \"query\" and \"positive\".");
        return new QueryPositivePair(q.GetString()!, p.GetString()!);
    }

    private static IReadOnlyList<QueryPositivePair> ReadBeir(string folder, string split)
    {
        var dataset = BeirDataset.Load(folder, split);
        var documents = dataset.Corpus.GroupBy(d => d.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().FullText, StringComparer.Ordinal);
        var pairs = new List<QueryPositivePair>();
        foreach (var (id, text) in dataset.Queries)
        {
            // Judgments keep qrels file order, so the first relevant one is the file's first.
            string? positive = dataset.Qrels.For(id).Where(j => j.Value > 0).Select(j => j.Key).FirstOrDefault(documents.ContainsKey);
            if (positive is not null)
                pairs.Add(new QueryPositivePair(text, documents[positive]));
        }
        if (pairs.Count == 0)
            throw new InvalidDataException($"No query of split \"{split}\" in {folder} has a relevant document in its corpus.");
        return pairs;
    }
}
