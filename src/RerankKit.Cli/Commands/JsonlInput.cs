using System.Text;
using System.Text.Json;

namespace RerankKit.Cli.Commands;

/// <summary>Reads JSON Lines input; an empty file, invalid UTF-8, a bad line or a field of the wrong type is a user
/// error naming the file and line number.</summary>
internal static class JsonlInput
{
    public sealed record Line(int Number, JsonElement Value);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The objects of <paramref name="path"/>; <paramref name="items"/> names what they are ("documents",
    /// "pairs") in the error for a file without any.</summary>
    public static IReadOnlyList<Line> Read(string path, string items)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"input file not found: {path}");
        var lines = new List<Line>();
        int number = 0;
        ReadOnlySpan<byte> rest = File.ReadAllBytes(path);
        if (rest.StartsWith(Encoding.UTF8.Preamble))
            rest = rest[Encoding.UTF8.Preamble.Length..];
        while (!rest.IsEmpty)
        {
            number++;
            int end = rest.IndexOf((byte)'\n');
            var bytes = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            string text;
            try
            {
                text = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException($"{path}:{number}: invalid UTF-8");
            }
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
        return lines.Count > 0 ? lines : throw new CliException($"{path} has no {items}");
    }

    public static string RequiredString(string path, Line line, string field)
    {
        if (!line.Value.TryGetProperty(field, out var v))
            throw new InvalidDataException($"{path}:{line.Number}: missing string field \"{field}\"");
        return v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new InvalidDataException($"{path}:{line.Number}: field \"{field}\" must be a string, not {v.ValueKind.ToString().ToLowerInvariant()}");
    }
}
