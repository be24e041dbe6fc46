using System.Text.Json;

namespace RerankKit.Cli.Commands;

/// <summary>Reads JSON Lines input; a bad line is a user error naming the file and line number.</summary>
internal static class JsonlInput
{
    public sealed record Line(int Number, JsonElement Value);

    public static IReadOnlyList<Line> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"input file not found: {path}");
        var lines = new List<Line>();
        int number = 0;
        foreach (string text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
                continue;
            try
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new InvalidDataException($"{path}:{number}: expected a JSON object");
                lines.Add(new Line(number, doc.RootElement.Clone()));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{number}: malformed JSON ({e.Message})");
            }
        }
        return lines;
    }

    public static string RequiredString(string path, Line line, string field) =>
        line.Value.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new InvalidDataException($"{path}:{line.Number}: missing string field \"{field}\"");
}
