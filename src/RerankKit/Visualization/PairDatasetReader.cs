using System.Text.Json;

namespace RerankKit.Visualization;

/// <summary>Reads query/positive pairs: a JSON array or JSON Lines of {"query": ..., "positive": ...}, or a
/// BEIR folder (corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv) where each query takes its first relevant
/// document in qrels order. Documents are "title text" as BEIR's dense evaluations embed them.</summary>
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
        string qrels = Path.Combine(folder, "qrels", split + ".tsv");
        string corpusPath = Path.Combine(folder, "corpus.jsonl");
        string queriesPath = Path.Combine(folder, "queries.jsonl");
        foreach (var required in new[] { qrels, corpusPath, queriesPath })
            if (!File.Exists(required))
                throw new FileNotFoundException($"BEIR folder {folder} lacks {Path.GetRelativePath(folder, required)}.");
        var firstRelevant = new Dictionary<string, string>();
        var order = new List<string>();
        foreach (var line in File.ReadLines(qrels))
        {
            var cols = line.Split('\t');
            if (cols.Length < 3 || !double.TryParse(cols[2], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double score) || score <= 0)
                continue;
            if (firstRelevant.TryAdd(cols[0], cols[1]))
                order.Add(cols[0]);
        }
        var wantedDocs = firstRelevant.Values.ToHashSet();
        var docs = ReadJsonl(corpusPath, e => wantedDocs.Contains(Id(e)), e => $"{Field(e, "title")} {Field(e, "text")}".Trim());
        var queries = ReadJsonl(queriesPath, e => firstRelevant.ContainsKey(Id(e)), e => Field(e, "text"));
        var pairs = order.Where(q => queries.ContainsKey(q) && docs.ContainsKey(firstRelevant[q]))
            .Select(q => new QueryPositivePair(queries[q], docs[firstRelevant[q]])).ToList();
        if (pairs.Count == 0)
            throw new InvalidDataException($"No query of {qrels} has a relevant document in {corpusPath}.");
        return pairs;
    }

    private static Dictionary<string, string> ReadJsonl(string path, Func<JsonElement, bool> keep, Func<JsonElement, string> text)
    {
        var result = new Dictionary<string, string>();
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            using var doc = Parse(line, $"{path} line {number}");
            if (keep(doc.RootElement))
                result[Id(doc.RootElement)] = text(doc.RootElement);
        }
        return result;
    }

    private static string Id(JsonElement e) => e.TryGetProperty("_id", out var id) ? id.ToString() : "";

    private static string Field(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
}
