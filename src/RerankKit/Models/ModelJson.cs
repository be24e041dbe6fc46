using System.Text.Json;

namespace RerankKit.Models;

/// <summary>Parses a model folder's JSON file, turning a syntax error into a <see cref="ModelLoadException"/> that
/// names the file.</summary>
internal static class ModelJson
{
    public static JsonDocument Read(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
