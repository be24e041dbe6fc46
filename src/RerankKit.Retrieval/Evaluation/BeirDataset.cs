using System.Text.Json;
using RerankKit.Documents;

namespace RerankKit.Evaluation;

/// <summary>A BEIR dataset folder: <c>corpus.jsonl</c>, <c>queries.jsonl</c> and <c>qrels/{split}.tsv</c>. Only the
/// queries that have judgments in the split are kept, in file order.</summary>
public sealed record BeirDataset(string Name, IReadOnlyList<Document> Corpus, IReadOnlyList<(string Id, string Text)> Queries, Qrels Qrels, string Split)
{
    /// <summary>The first <paramref name="count"/> queries with only their judgments, for quick runs.</summary>
    public BeirDataset WithFirstQueries(int count)
    {
        var queries = Queries.Take(count).ToList();
        var qrels = new Qrels();
        foreach (var (id, _) in queries)
        {
            foreach (var (doc, rel) in Qrels.For(id))
                qrels.Add(id, doc, rel);
        }
        return this with { Queries = queries, Qrels = qrels };
    }

    public static BeirDataset Load(string folder, string split = "test")
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Dataset folder not found: {folder}");
        string corpusPath = Path.Combine(folder, "corpus.jsonl");
        string queriesPath = Path.Combine(folder, "queries.jsonl");
        string qrelsPath = Path.Combine(folder, "qrels", split + ".tsv");
        foreach (string required in new[] { corpusPath, queriesPath, qrelsPath })
        {
            if (!File.Exists(required))
                throw new FileNotFoundException($"{folder} is not a BEIR dataset with split \"{split}\": missing {Path.GetRelativePath(folder, required)}", required);
        }
        var qrels = Qrels.ReadBeirTsv(qrelsPath);
        var judged = qrels.QueryIds.ToHashSet(StringComparer.Ordinal);
        var queries = ReadQueries(queriesPath).Where(q => judged.Contains(q.Id)).ToList();
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        return new BeirDataset(name, DocumentLoader.LoadJsonl(corpusPath), queries, qrels, split);
    }

    private static IEnumerable<(string Id, string Text)> ReadQueries(string path)
    {
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            string? id, text;
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                id = root.TryGetProperty("_id", out var i) ? (i.ValueKind == JsonValueKind.String ? i.GetString() : i.GetRawText()) : null;
                text = root.TryGetProperty("text", out var t) ? t.GetString() : null;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a JSON object ({e.Message})");
            }
            if (id is null || text is null)
                throw new InvalidDataException($"{path}:{lineNumber}: a query needs \"_id\" and \"text\"");
            yield return (id, text);
        }
    }
}
