using System.Text.Json;

namespace RerankKit.Documents;

/// <summary>Reads documents from a folder of .md/.txt files, a JSONL file of <c>{"id","text"}</c> objects or a
/// BEIR <c>corpus.jsonl</c> (<c>{"_id","title","text"}</c>).</summary>
public static class DocumentLoader
{
    private static readonly string[] TextExtensions = [".md", ".markdown", ".txt"];

    /// <summary>Picks the reader from the path: a folder holding corpus.jsonl is a BEIR dataset, any other folder
    /// is read for text files, a file is read as JSONL.</summary>
    public static IReadOnlyList<Document> Load(string path)
    {
        if (Directory.Exists(path))
        {
            string corpus = Path.Combine(path, "corpus.jsonl");
            return File.Exists(corpus) ? LoadJsonl(corpus) : LoadFolder(path);
        }
        if (File.Exists(path))
        {
            return TextExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase)
                ? [FromFile(path, Path.GetFileName(path))]
                : LoadJsonl(path);
        }
        throw new FileNotFoundException($"Corpus not found: {path}", path);
    }

    /// <summary>Every .md/.markdown/.txt file under <paramref name="folder"/>, in ordinal path order; the id and
    /// source are the path relative to the folder.</summary>
    public static IReadOnlyList<Document> LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Corpus folder not found: {folder}");
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => TextExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(f => (Full: f, Relative: Path.GetRelativePath(folder, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
            throw new InvalidDataException($"No .md or .txt files in {folder}");
        return files.Select(f => FromFile(f.Full, f.Relative)).ToList();
    }

    /// <summary>One document per line. The id is <c>id</c> or BEIR's <c>_id</c>; <c>title</c> is optional.</summary>
    public static IReadOnlyList<Document> LoadJsonl(string path)
    {
        var documents = new List<Document>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            documents.Add(ParseLine(line, path, lineNumber));
        }
        if (documents.Count == 0)
            throw new InvalidDataException($"No documents in {path}");
        return documents;
    }

    private static Document FromFile(string path, string source) =>
        new(source, File.ReadAllText(path)) { Source = source };

    private static Document ParseLine(string line, string path, int lineNumber)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            string id = Text(root, "_id") ?? Text(root, "id")
                ?? throw new InvalidDataException($"{path}:{lineNumber}: a document has no \"id\" or \"_id\"");
            string text = Text(root, "text") ?? Text(root, "contents")
                ?? throw new InvalidDataException($"{path}:{lineNumber}: document {id} has no \"text\"");
            string? title = Text(root, "title");
            return new Document(id, text) { Title = string.IsNullOrEmpty(title) ? null : title, Source = id };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{lineNumber}: not a JSON object ({e.Message})");
        }
    }

    private static string? Text(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v))
            return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        };
    }
}
