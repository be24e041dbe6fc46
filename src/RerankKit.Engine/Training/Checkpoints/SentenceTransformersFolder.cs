using System.Text.Json.Nodes;

namespace RerankKit.Training.Checkpoints;

/// <summary>Reads the sentence-transformers module files of a bi-encoder folder.</summary>
public static class SentenceTransformersFolder
{
    /// <summary>Whether <c>1_Pooling/config.json</c> selects CLS pooling (mean pooling otherwise, the common default).</summary>
    public static bool UsesClsPooling(string folder)
    {
        string path = Path.Combine(folder, "1_Pooling", "config.json");
        return File.Exists(path) && JsonNode.Parse(File.ReadAllText(path))?["pooling_mode_cls_token"]?.GetValue<bool>() == true;
    }
}
