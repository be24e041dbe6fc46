using RerankKit.IO;
namespace RerankKit.Explain;

/// <summary>One file written by <see cref="ExplanationWriter"/>; images carry the size and frame count they were drawn at.</summary>
public sealed record WrittenFile(string Path, int? Width = null, int? Height = null, int? Frames = null);

/// <summary>Writes every output of an explanation into a folder, each file atomically.</summary>
public static class ExplanationWriter
{
    public const string JsonFile = "explain.json";
    public const string ReportFile = "report.html";
    public const string AllLayersFile = "attention_all_layers.png";
    public const string SaliencyFile = "saliency.png";
    public const string IntegratedGradientsFile = "integrated_gradients.png";
    public const string TrajectoryFile = "trajectory.png";
    public const string TrajectoryGifFile = "trajectory.gif";

    /// <summary>The heads figure of a 1-based layer number, as users count layers.</summary>
    public static string AttentionHeadsFile(int layerNumber) => $"attention_heads_layer{layerNumber}.png";

    /// <summary>Writes the files and returns them. <paramref name="layer"/> is 0-based; null is the last layer.</summary>
    public static IReadOnlyList<WrittenFile> Write(Explanation e, string folder, int? layer = null, string? modelName = null, int topK = 10)
    {
        int shown = layer ?? e.NumLayers - 1;
        if (shown < 0 || shown >= e.NumLayers)
            throw new ArgumentException($"Layer {shown + 1} does not exist: the model has layers 1 to {e.NumLayers}.");
        Directory.CreateDirectory(folder);
        var figures = ExplanationFigureSet.Render(e, shown, topK);
        var files = new List<WrittenFile>();
        void Put(string name, byte[] bytes, Figure? figure = null)
        {
            string path = Path.Combine(folder, name);
            AtomicFile.WriteAllBytes(path, bytes);
            files.Add(new WrittenFile(path, figure?.Width, figure?.Height, figure?.Frames));
        }
        void PutFigure(string name, Figure figure) => Put(name, figure.Bytes, figure);
        PutFigure(AttentionHeadsFile(shown + 1), figures.AttentionHeads);
        PutFigure(AllLayersFile, figures.AttentionAllLayers);
        PutFigure(SaliencyFile, figures.Saliency);
        PutFigure(IntegratedGradientsFile, figures.IntegratedGradients);
        PutFigure(TrajectoryFile, figures.Trajectory);
        PutFigure(TrajectoryGifFile, figures.TrajectoryGif);
        string json = Path.Combine(folder, JsonFile);
        AtomicFile.Write(json, stream => ExplanationJson.Write(stream, e, modelName, shown + 1, topK));
        files.Add(new WrittenFile(json));
        Put(ReportFile, System.Text.Encoding.UTF8.GetBytes(ExplanationReport.Render(e, figures, modelName, topK)));
        return files;
    }
}
