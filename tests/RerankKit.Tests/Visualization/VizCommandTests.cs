using System.Text.Json;
using RerankKit.Cli;
using RerankKit.Cli.Commands;
using RerankKit.Tests.Infrastructure;
using SkiaSharp;

namespace RerankKit.Tests.Visualization;

[Collection(ConsoleCollection.Name)]
public sealed class VizCommandTests : IDisposable
{
    private static readonly string[] Topics = ["protein folding", "ocean tides", "stock market", "jazz music"];

    private readonly string _folder = Directory.CreateTempSubdirectory("rerankkit-viz-").FullName;

    public VizCommandTests()
    {
        VizEmbeddingsCommand.LoadModel = (name, _) => new HashingBiEncoder(name, noise: name == "noisy" ? 6 : 0);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Pair i shares its topic words and a unique token with its positive.</summary>
    private string WritePairs(int count, bool jsonl)
    {
        var pairs = Enumerable.Range(0, count).Select(i => new
        {
            query = $"{Topics[i % Topics.Length]} question item{i}",
            positive = $"{Topics[i % Topics.Length]} answer item{i} details{i}",
        }).ToArray();
        string path = Path.Combine(_folder, jsonl ? "pairs.jsonl" : "pairs.json");
        File.WriteAllText(path, jsonl ? string.Join("\n", pairs.Select(p => JsonSerializer.Serialize(p))) : JsonSerializer.Serialize(pairs));
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new System.CommandLine.RootCommand();
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            return (CliRunner.Run(root, args, Console.Error), stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    [Fact]
    public void Writes_every_view_and_file_with_the_stated_content()
    {
        string data = WritePairs(24, jsonl: true);
        string output = Path.Combine(_folder, "out");

        var (code, stdout, stderr) = Run("viz", "embeddings", "--model", "hashing", "--data", data, "--out", output, "--seed", "3");

        Assert.True(code == 0, stderr);
        Assert.Contains("Verdict", stdout);
        Assert.Contains("Margin", stdout);
        var expectedSizes = new Dictionary<string, (int, int)>
        {
            ["tsne_projection.png"] = (1200, 900),
            ["umap_projection.png"] = (1200, 900),
            ["similarity_heatmap.png"] = (1200, 900),
            ["similarity_distribution.png"] = (1600, 900),
            ["top_k_predictions.png"] = (1800, 1084),
        };
        foreach (var (name, (width, height)) in expectedSizes)
        {
            using var bitmap = SKBitmap.Decode(Path.Combine(output, name));
            Assert.True(bitmap is not null, $"{name} is not a decodable image");
            Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
        }

        // Text really renders (a missing font would leave the title band blank): dark pixels above the frame.
        using (var tsne = SKBitmap.Decode(Path.Combine(output, "tsne_projection.png")))
        {
            int dark = 0;
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < tsne.Width; x++)
                    dark += tsne.GetPixel(x, y).Red < 100 ? 1 : 0;
            Assert.True(dark > 200, $"only {dark} dark pixels where the title should be");
        }

        var rows = File.ReadAllLines(Path.Combine(output, "coordinates.csv"));
        Assert.Equal("id,kind,method,x,y", rows[0]);
        Assert.Equal(1 + 2 * 2 * 24, rows.Length);
        var cells = rows.Skip(1).Select(r => r.Split(',')).ToArray();
        Assert.All(cells, c => Assert.Equal(5, c.Length));
        foreach (string method in new[] { "tsne", "umap" })
            foreach (string kind in new[] { "query", "positive" })
                Assert.Equal(Enumerable.Range(0, 24), cells.Where(c => c[1] == kind && c[2] == method).Select(c => int.Parse(c[0])).Order());
        Assert.All(cells, c => Assert.True(double.IsFinite(double.Parse(c[3], System.Globalization.CultureInfo.InvariantCulture))));

        using var stats = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "stats.json")));
        var root = stats.RootElement;
        foreach (string key in new[] { "model", "pairs", "positive_mean", "positive_std", "negative_mean", "negative_std", "margin", "separation_sigma",
                     "mrr", "recall_at_1", "recall_at_5", "recall_at_10", "mean_top1_top2_gap", "trustworthiness", "checklist", "verdict" })
            Assert.True(root.TryGetProperty(key, out _), $"stats.json lacks {key}");
        Assert.Equal(24, root.GetProperty("pairs").GetInt32());
        Assert.Equal(6, root.GetProperty("checklist").GetArrayLength());
        double margin = root.GetProperty("positive_mean").GetDouble() - root.GetProperty("negative_mean").GetDouble();
        Assert.Equal(margin, root.GetProperty("margin").GetDouble(), 5);
        foreach (string method in new[] { "tsne", "umap" })
            Assert.InRange(root.GetProperty("trustworthiness").GetProperty(method).GetDouble(), 0.0, 1.0);

        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"/", html);
        Assert.Equal(5, CountOf(html, "src=\"data:image/png;base64,"));
        Assert.Equal(CountOf(html, "src="), CountOf(html, "src=\"data:"));
        Assert.Equal(2 * 2 * 24, CountOf(html, "<circle "));
        Assert.Contains("data-text=\"Query 5: ocean tides question item5\"", html);
        Assert.Contains(root.GetProperty("verdict").GetString()!, html);
    }

    [Fact]
    public void Json_output_is_the_statistics_and_the_files()
    {
        string data = WritePairs(8, jsonl: false);
        string output = Path.Combine(_folder, "json");

        var (code, stdout, stderr) = Run("viz", "embeddings", "--model", "hashing", "--data", data, "--out", output, "--skip-tsne", "--skip-umap", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var model = doc.RootElement.GetProperty("model");
        Assert.Equal(8, model.GetProperty("pairs").GetInt32());
        Assert.Equal(1.0, model.GetProperty("recall_at_10").GetDouble());
        Assert.False(File.Exists(Path.Combine(output, "tsne_projection.png")));
        Assert.True(File.Exists(Path.Combine(output, "similarity_heatmap.png")));
        Assert.Contains(doc.RootElement.GetProperty("files").EnumerateArray(), f => f.GetString()!.EndsWith("report.html"));
    }

    [Fact]
    public void Compare_draws_the_second_model_beside_the_first_with_differences()
    {
        string data = WritePairs(12, jsonl: true);
        string output = Path.Combine(_folder, "cmp");

        var (code, stdout, stderr) = Run("viz", "embeddings", "--model", "hashing", "--compare", "noisy", "--data", data, "--out", output, "--skip-tsne");

        Assert.True(code == 0, stderr);
        Assert.Contains("difference", stdout);
        Assert.True(File.Exists(Path.Combine(output, "compare", "umap_projection.png")));
        using var a = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "stats.json")));
        using var b = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "compare", "stats.json")));
        using var diff = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "comparison.json")));
        Assert.Equal("noisy", b.RootElement.GetProperty("model").GetString());
        var margin = diff.RootElement.GetProperty("metrics").GetProperty("margin");
        Assert.Equal(b.RootElement.GetProperty("margin").GetDouble() - a.RootElement.GetProperty("margin").GetDouble(), margin.GetProperty("difference").GetDouble(), 5);
        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("Differences", html);
        Assert.Equal(2 * 4, CountOf(html, "src=\"data:image/png;base64,"));
    }

    [Fact]
    public void Runs_end_to_end_with_the_real_bi_encoder_on_a_beir_folder()
    {
        VizEmbeddingsCommand.LoadModel = ModelOptions.LoadBiEncoder;
        string model = SharedData.Fixture("tiny-bert-embedder");
        string output = Path.Combine(_folder, "real");

        var (code, stdout, stderr) = Run("viz", "embeddings", "--model", model, "--data", SharedData.Dataset("scifact"), "--split", "test",
            "--out", output, "--max-samples", "40", "--skip-tsne", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var stats = doc.RootElement.GetProperty("model");
        Assert.Equal(40, stats.GetProperty("pairs").GetInt32());
        Assert.Equal(model, stats.GetProperty("model").GetString());
        Assert.InRange(stats.GetProperty("mrr").GetDouble(), 1.0 / 40, 1.0);
        Assert.Equal(81, File.ReadAllLines(Path.Combine(output, "coordinates.csv")).Length);
    }

    [Fact]
    public void Bench_prints_times_and_quality_of_both_maps()
    {
        var (code, stdout, stderr) = Run("bench", "viz", "--points", "120", "--clusters", "4", "--dims", "16", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var rows = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(["t-SNE", "UMAP"], rows.Select(r => r.GetProperty("method").GetString()));
        Assert.All(rows, r => Assert.InRange(r.GetProperty("trustworthiness").GetDouble(), 0.9, 1.0));
        Assert.All(rows, r => Assert.Equal(1.0, r.GetProperty("neighbor_label_agreement").GetDouble()));
    }

    [Fact]
    public void Missing_data_is_a_one_line_user_error()
    {
        var (code, _, stderr) = Run("viz", "embeddings", "--model", "hashing", "--data", Path.Combine(_folder, "absent.jsonl"), "--out", _folder);

        Assert.Equal(CliRunner.UserError, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Beir_folder_gives_each_query_its_first_relevant_document()
    {
        string scifact = SharedData.Dataset("scifact");
        var firstJudgment = File.ReadLines(Path.Combine(scifact, "qrels", "test.tsv")).Skip(1).First().Split('\t');
        string queryText = FindText(Path.Combine(scifact, "queries.jsonl"), firstJudgment[0]);
        string docText = FindText(Path.Combine(scifact, "corpus.jsonl"), firstJudgment[1]);

        var pairs = RerankKit.Visualization.PairDatasetReader.Read(scifact, "test");

        var pair = Assert.Single(pairs, p => p.Query == queryText);
        Assert.EndsWith(docText, pair.Positive);
        Assert.Equal(File.ReadLines(Path.Combine(scifact, "qrels", "test.tsv")).Skip(1).Select(l => l.Split('\t')[0]).Distinct().Count(), pairs.Count);
    }

    private static string FindText(string jsonl, string id)
    {
        foreach (var line in File.ReadLines(jsonl))
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.GetProperty("_id").GetString() == id)
                return doc.RootElement.GetProperty("text").GetString()!;
        }
        throw new InvalidOperationException($"{id} not in {jsonl}");
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
