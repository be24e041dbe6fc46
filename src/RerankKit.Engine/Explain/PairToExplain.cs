namespace RerankKit.Explain;

/// <summary>One pair of a batch; <see cref="Id"/> names its output folder.</summary>
public sealed record PairToExplain(string Id, string Query, string Document);

/// <summary>Gives pairs without an id the ids <c>q1_d1</c>, <c>q1_d2</c>, <c>q2_d1</c>...: queries numbered by first
/// appearance, documents numbered within their query. Given ids are kept but made safe as folder names and unique.</summary>
public static class PairIds
{
    public static IReadOnlyList<PairToExplain> Assign(IReadOnlyList<(string? Id, string Query, string Document)> pairs)
    {
        var queryNumbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var documentCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<PairToExplain>(pairs.Count);
        foreach (var (id, query, document) in pairs)
        {
            if (!queryNumbers.TryGetValue(query, out int q))
                queryNumbers[query] = q = queryNumbers.Count + 1;
            int d = documentCounts[query] = documentCounts.GetValueOrDefault(query) + 1;
            string name = string.IsNullOrWhiteSpace(id) ? $"q{q}_d{d}" : Safe(id);
            string unique = name;
            for (int n = 2; !used.Add(unique); n++)
                unique = $"{name}_{n}";
            result.Add(new PairToExplain(unique, query, document));
        }
        return result;
    }

    // Ids become folder names, so anything but letters, digits, '-', '_' and '.' is replaced.
    private static string Safe(string id)
    {
        var chars = id.Trim().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        string safe = new string(chars).Trim('.');
        return safe.Length == 0 ? "pair" : safe.Length > 80 ? safe[..80] : safe;
    }
}
