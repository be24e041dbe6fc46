using RerankKit.IO;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RerankKit.Retrieval;

namespace RerankKit.Visualization;

/// <summary>Writes the views and numbers of an <see cref="EmbeddingAnalysis"/> to a folder: five PNGs,
/// stats.json, coordinates.csv and a self-contained report.html; with a second analysis, its files go to
/// compare/ and the report puts both side by side with a table of differences (also in comparison.json).</summary>
public static class EmbeddingReport
{
    public const string CompareFolder = "compare";

    public static readonly string[] ImageFiles =
        ["tsne_projection.png", "umap_projection.png", "similarity_heatmap.png", "similarity_distribution.png", "top_k_predictions.png"];

    /// <summary>Writes everything and returns the paths written.</summary>
    public static IReadOnlyList<string> Write(string outputFolder, EmbeddingAnalysis analysis, EmbeddingAnalysis? comparison = null)
    {
        var written = new List<string>();
        var images = WriteModelFiles(outputFolder, analysis, written);
        var models = new List<(EmbeddingAnalysis Analysis, Dictionary<string, byte[]> Images)> { (analysis, images) };
        if (comparison is not null)
        {
            var compareImages = WriteModelFiles(Path.Combine(outputFolder, CompareFolder), comparison, written);
            models.Add((comparison, compareImages));
            string diffPath = Path.Combine(outputFolder, "comparison.json");
            WriteText(diffPath, ComparisonJson(analysis, comparison));
            written.Add(diffPath);
        }
        string reportPath = Path.Combine(outputFolder, "report.html");
        WriteText(reportPath, ReportHtml.Render(models));
        written.Add(reportPath);
        return written;
    }

    private static void WriteText(string path, string text) => WriteBytes(path, new UTF8Encoding(false).GetBytes(text));

    private static void WriteBytes(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    private static Dictionary<string, byte[]> WriteModelFiles(string folder, EmbeddingAnalysis a, List<string> written)
    {
        var images = new Dictionary<string, byte[]>();
        foreach (var projection in a.Projections)
            images[$"{projection.Method}_projection.png"] = EmbeddingPlots.Projection(projection, a.DisplayName);
        images["similarity_heatmap.png"] = EmbeddingPlots.Heatmap(a.Statistics, a.DisplayName);
        images["similarity_distribution.png"] = EmbeddingPlots.Distribution(a.Statistics, a.DisplayName);
        images["top_k_predictions.png"] = EmbeddingPlots.TopK(a.Statistics, a.Pairs, a.DisplayName);
        foreach (var (name, bytes) in images)
        {
            string path = Path.Combine(folder, name);
            WriteBytes(path, bytes);
            written.Add(path);
        }
        string stats = Path.Combine(folder, "stats.json");
        WriteText(stats, StatsJson(a));
        written.Add(stats);
        string csv = Path.Combine(folder, "coordinates.csv");
        WriteText(csv, CoordinatesCsv(a));
        written.Add(csv);
        return images;
    }

    /// <summary>The statistics by their stats.json names, in report order.</summary>
    public static IReadOnlyList<(string Key, string Label, double Value)> Metrics(EmbeddingAnalysis a)
    {
        var s = a.Statistics;
        var list = new List<(string, string, double)>
        {
            ("positive_mean", "positive (diagonal) mean", s.PositiveMean),
            ("positive_std", "positive (diagonal) std", s.PositiveStd),
            ("negative_mean", "negative (off-diagonal) mean", s.NegativeMean),
            ("negative_std", "negative (off-diagonal) std", s.NegativeStd),
            ("margin", "margin", s.Margin),
            ("separation_sigma", "separation (sigma)", s.Separation),
            ("mrr", "MRR", s.Mrr),
            ("recall_at_1", "Recall@1", s.RecallAt1),
            ("recall_at_5", "Recall@5", s.RecallAt5),
            ("recall_at_10", "Recall@10", s.RecallAt10),
            ("mean_top1_top2_gap", "mean rank-1 to rank-2 gap", s.MeanTop1Top2Gap),
        };
        foreach (var p in a.Projections)
            list.Add(($"trustworthiness_{p.Method}", $"trustworthiness {p.Title} (k=5)", p.Trustworthiness));
        return list;
    }

    /// <summary>The content of stats.json.</summary>
    public static string StatsJson(EmbeddingAnalysis a)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("model", a.ModelName);
            w.WriteNumber("pairs", a.Statistics.Pairs);
            foreach (var (key, _, value) in Metrics(a).Where(m => !m.Key.StartsWith("trustworthiness_", StringComparison.Ordinal)))
                Number(w, key, value);
            w.WriteStartObject("trustworthiness");
            w.WriteNumber("k", EmbeddingAnalyzer.TrustworthinessNeighbors);
            foreach (var p in a.Projections)
                Number(w, p.Method, p.Trustworthiness);
            w.WriteEndObject();
            w.WriteStartArray("checklist");
            foreach (var item in a.Checklist.Items)
            {
                w.WriteStartObject();
                w.WriteString("name", item.Name);
                w.WriteString("criterion", item.Criterion);
                Number(w, "value", item.Value);
                w.WriteBoolean("passed", item.Passed);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("checks_passed", a.Checklist.PassedCount);
            w.WriteString("verdict", a.Checklist.Verdict);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    internal static string ComparisonJson(EmbeddingAnalysis a, EmbeddingAnalysis b)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("model", a.ModelName);
            w.WriteString("compare", b.ModelName);
            w.WriteStartObject("metrics");
            foreach (var (key, _, av, bv) in Differences(a, b))
            {
                w.WriteStartObject(key);
                Number(w, "model", av);
                Number(w, "compare", bv);
                Number(w, "difference", bv - av);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Metrics present for both models, with the first's and the second's value.</summary>
    public static IReadOnlyList<(string Key, string Label, double Model, double Compare)> Differences(EmbeddingAnalysis a, EmbeddingAnalysis b)
    {
        var other = Metrics(b).ToDictionary(m => m.Key, m => m.Value);
        return Metrics(a).Where(m => other.ContainsKey(m.Key)).Select(m => (m.Key, m.Label, m.Value, other[m.Key])).ToList();
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
            w.WriteNumber(name, Math.Round(value, 6));
        else
            w.WriteNull(name);
    }

    internal static string CoordinatesCsv(EmbeddingAnalysis a)
    {
        var sb = new StringBuilder("id,kind,method,x,y\n");
        int n = a.Statistics.Pairs;
        foreach (var p in a.Projections)
        {
            for (int r = 0; r < p.Coordinates.Length; r++)
            {
                string kind = r < n ? "query" : "positive";
                sb.Append(CultureInfo.InvariantCulture, $"{r % n},{kind},{p.Method},{p.Coordinates[r][0]:R},{p.Coordinates[r][1]:R}\n");
            }
        }
        return sb.ToString();
    }
}
