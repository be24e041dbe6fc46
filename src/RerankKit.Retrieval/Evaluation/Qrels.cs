using System.Globalization;

namespace RerankKit.Evaluation;

/// <summary>Relevance judgments: query id -> document id -> graded relevance (&gt;= 1 is relevant, 0 judged
/// non-relevant, as trec_eval's default relevance level).</summary>
public sealed class Qrels
{
    private readonly Dictionary<string, Dictionary<string, int>> _judgments = new(StringComparer.Ordinal);

    public IEnumerable<string> QueryIds => _judgments.Keys;

    public int Count => _judgments.Count;

    public IReadOnlyDictionary<string, int> For(string queryId) =>
        _judgments.TryGetValue(queryId, out var j) ? j : EmptyJudgments;

    public void Add(string queryId, string documentId, int relevance)
    {
        if (!_judgments.TryGetValue(queryId, out var j))
            _judgments[queryId] = j = new Dictionary<string, int>(StringComparer.Ordinal);
        j[documentId] = relevance;
    }

    /// <summary>A BEIR <c>qrels/{split}.tsv</c>: a header line, then <c>query-id, corpus-id, score</c> tab-separated.</summary>
    public static Qrels ReadBeirTsv(string path) => Read(path, beir: true);

    /// <summary>A TREC qrels file: <c>qid iter docno rel</c> separated by whitespace.</summary>
    public static Qrels ReadTrec(string path) => Read(path, beir: false);

    /// <summary>By extension: .tsv is BEIR, anything else TREC.</summary>
    public static Qrels ReadFile(string path) =>
        path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? ReadBeirTsv(path) : ReadTrec(path);

    private static Qrels Read(string path, bool beir)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Qrels file not found: {path}", path);
        var qrels = new Qrels();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            string[] f = line.Split(beir ? ['\t'] : [' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (beir && lineNumber == 1 && f.Length >= 3 && !int.TryParse(f[2], out _))
                continue;
            int expected = beir ? 3 : 4;
            if (f.Length != expected || !TryParseRelevance(f[^1], out int rel))
                throw new InvalidDataException($"{path}:{lineNumber}: expected {(beir ? "query-id<TAB>corpus-id<TAB>score" : "qid iter docno rel")}, got \"{line}\"");
            qrels.Add(f[0], beir ? f[1] : f[2], rel);
        }
        return qrels;
    }

    private static bool TryParseRelevance(string text, out int relevance)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out relevance))
            return true;
        // Some BEIR qrels write grades as floats ("1.0").
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d))
        {
            relevance = (int)d;
            return true;
        }
        return false;
    }

    private static readonly IReadOnlyDictionary<string, int> EmptyJudgments = new Dictionary<string, int>();
}
