using RerankKit.IO;
namespace RerankKit.Explain;

/// <summary>The outcome of one pair of a batch: its explanation and files, or why it failed.</summary>
public sealed record BatchEntry(PairToExplain Pair, Explanation? Explanation, IReadOnlyList<WrittenFile> Files, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>Explains many pairs into one folder (a sub-folder per pair id), going on past pairs that fail, then
/// writes <c>index.html</c> comparing them and <c>summary.csv</c>.</summary>
public sealed class BatchExplainer(PairExplainer explainer)
{
    public const string IndexFile = "index.html";
    public const string SummaryFile = "summary.csv";

    /// <summary>Runs every pair; <paramref name="progress"/> hears after each pair (done count, the entry).
    /// <paramref name="layer"/> is 0-based, null for the last. <paramref name="unreadable"/> are inputs that failed
    /// before they became pairs (such as malformed lines); they are listed with the failures.</summary>
    public IReadOnlyList<BatchEntry> Run(
        IReadOnlyList<PairToExplain> pairs,
        string folder,
        ExplainOptions? options = null,
        int? layer = null,
        string? modelName = null,
        Action<int, BatchEntry>? progress = null,
        IReadOnlyList<(string Id, string Error)>? unreadable = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new ExplainOptions();
        Directory.CreateDirectory(folder);
        var entries = new List<BatchEntry>(pairs.Count);
        foreach (var pair in pairs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            BatchEntry entry;
            try
            {
                var explanation = explainer.Explain(pair.Query, pair.Document, options, cancellationToken);
                var files = ExplanationWriter.Write(explanation, Path.Combine(folder, pair.Id), layer, modelName, options.TopK);
                entry = new BatchEntry(pair, explanation, files, null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                entry = new BatchEntry(pair, null, [], e.Message.ReplaceLineEndings(" "));
            }
            entries.Add(entry);
            progress?.Invoke(entries.Count, entry);
        }
        foreach (var (id, error) in unreadable ?? [])
            entries.Add(new BatchEntry(new PairToExplain(id, "", ""), null, [], error));
        AtomicFile.WriteAllText(Path.Combine(folder, IndexFile), BatchIndex.Html(entries, modelName));
        AtomicFile.WriteAllText(Path.Combine(folder, SummaryFile), BatchIndex.Csv(entries));
        return entries;
    }
}
