using RerankKit.IO;
using System.Globalization;

namespace RerankKit.Evaluation;

/// <summary>A retrieval run: for each query, scored document ids. Order inside a query does not matter to
/// evaluation (trec_eval re-sorts by score), but <see cref="WriteTrec"/> writes them best first with ranks.</summary>
public sealed class TrecRun
{
    private readonly Dictionary<string, List<(string DocumentId, double Score)>> _results = new(StringComparer.Ordinal);

    public IEnumerable<string> QueryIds => _results.Keys;

    public IReadOnlyList<(string DocumentId, double Score)> For(string queryId) =>
        _results.TryGetValue(queryId, out var r) ? r : [];

    public void Add(string queryId, string documentId, double score)
    {
        if (!_results.TryGetValue(queryId, out var r))
            _results[queryId] = r = [];
        r.Add((documentId, score));
    }

    /// <summary>Records a query with no results, so a run file shows it was asked.</summary>
    public void AddQuery(string queryId)
    {
        if (!_results.ContainsKey(queryId))
            _results[queryId] = [];
    }

    /// <summary>A TREC run file: <c>qid Q0 docno rank score tag</c>.</summary>
    public static TrecRun ReadTrec(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Run file not found: {path}", path);
        var run = new TrecRun();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            string[] f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 6 || !double.TryParse(f[4], NumberStyles.Float, CultureInfo.InvariantCulture, out double score))
                throw new InvalidDataException($"{path}:{lineNumber}: expected \"qid Q0 docno rank score tag\", got \"{line}\"");
            run.Add(f[0], f[2], score);
        }
        return run;
    }

    /// <summary>Writes the run atomically, each query's documents in trec_eval's order with ranks from 1.</summary>
    public void WriteTrec(string path, string tag)
    {
        if (tag.Any(char.IsWhiteSpace) || tag.Length == 0)
            throw new ArgumentException($"A run tag must be one word (got \"{tag}\").", nameof(tag));
        AtomicFile.WriteText(path, writer =>
        {
            foreach (var (queryId, results) in _results.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                int rank = 1;
                foreach (var (doc, score) in TrecOrder.Sort(results))
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{queryId} Q0 {doc} {rank++} {score:R} {tag}"));
            }
        });
    }
}
