using RerankKit.Documents;

namespace RerankKit.Cli.Commands;

/// <summary>The documents of a BEIR dataset folder as the benchmarks read them: title + " " + text from corpus.jsonl.</summary>
internal static class BeirCorpusTexts
{
    public static IReadOnlyList<string> Load(string folder, int? limit)
    {
        string path = Path.Combine(folder, "corpus.jsonl");
        if (!File.Exists(path))
            throw new CliException($"{folder} is not a BEIR dataset: it has no corpus.jsonl");
        var corpus = DocumentLoader.LoadJsonl(path);
        return corpus.Take(limit ?? corpus.Count).Select(d => string.IsNullOrEmpty(d.Title) ? d.Text : d.Title + " " + d.Text).ToList();
    }
}
