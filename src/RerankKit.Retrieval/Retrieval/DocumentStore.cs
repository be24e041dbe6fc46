using RerankKit.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RerankKit.Documents;

namespace RerankKit.Retrieval;

/// <summary>Reads and writes an index's documents as JSON lines with their chunk metadata.</summary>
internal static class DocumentStore
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write(string path, IReadOnlyList<Document> documents) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        foreach (var document in documents)
            writer.WriteLine(JsonSerializer.Serialize(new Row(document.Id, document.Text, document.Title, document.Source, document.ChunkIndex, document.StartOffset, document.EndOffset), Json));
    });

    public static List<Document> Read(string path)
    {
        var documents = new List<Document>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            Row? row;
            try
            {
                row = JsonSerializer.Deserialize<Row>(line, Json);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber} is corrupt: {e.Message}");
            }
            if (row?.Id is null || row.Text is null)
                throw new InvalidDataException($"{path}:{lineNumber} is corrupt: a document needs an id and a text");
            documents.Add(new Document(row.Id, row.Text)
            {
                Title = row.Title,
                Source = row.Source,
                ChunkIndex = row.Chunk,
                StartOffset = row.Start,
                EndOffset = row.End,
            });
        }
        return documents;
    }

    private sealed record Row(string Id, string Text, string? Title, string? Source, int? Chunk, int? Start, int? End);
}
