using System.Text.Json;
using RerankKit.Models;

namespace RerankKit.Seq2Seq;

/// <summary>Looks up the ids of the pieces a T5 reranker reads (<c>▁true</c>, <c>▁false</c>, <c>&lt;extra_id_10&gt;</c>)
/// in the folder's <c>tokenizer.json</c>, instead of trusting constants: a checkpoint with another vocabulary then
/// fails on load rather than reading the wrong logits.</summary>
internal static class T5Vocabulary
{
    public static int[] IdsOf(string folder, params string[] pieces)
    {
        string path = Path.Combine(folder, "tokenizer.json");
        if (!File.Exists(path))
            throw new ModelLoadException($"{folder} has no tokenizer.json, which a T5 reranker needs to find the ids of {string.Join(", ", pieces)}");
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream);
            var root = doc.RootElement;
            if (root.TryGetProperty("model", out var model) && model.TryGetProperty("vocab", out var vocab) && vocab.ValueKind == JsonValueKind.Array)
            {
                int id = 0;
                foreach (var entry in vocab.EnumerateArray())
                {
                    if (entry.ValueKind == JsonValueKind.Array && entry.GetArrayLength() > 0 && entry[0].GetString() is { } piece)
                        ids.TryAdd(piece, id);
                    id++;
                }
            }
            if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
            {
                foreach (var token in added.EnumerateArray())
                {
                    if (token.TryGetProperty("content", out var c) && c.GetString() is { } content && token.TryGetProperty("id", out var i))
                        ids[content] = i.GetInt32();
                }
            }
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path} is not valid JSON: {e.Message}", e);
        }
        return pieces.Select(p => ids.TryGetValue(p, out int id)
            ? id
            : throw new ModelLoadException($"{path} has no piece '{p}', which this T5 scoring reads")).ToArray();
    }
}
