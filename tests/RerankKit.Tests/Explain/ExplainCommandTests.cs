using System.Text.Json;
using RerankKit.Tests.Cli;
using RerankKit.Tests.Infrastructure;
using SkiaSharp;

namespace RerankKit.Tests.Explain;

/// <summary>The explain commands end to end through the built apphost, checked against the golden fixtures.</summary>
public sealed class ExplainCommandTests
{
    private const string NotExplanations = "Attention weights are not explanations";

    private sealed record GoldenExplain(string Query, string Document, int[] InputIds, double Logit, double[][][][] Attentions, double[] Saliency, double[] GradientTimesInput);

    private static List<GoldenExplain> Golden(string fixture)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SharedData.Fixture(fixture), "golden.json")));
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray()
            .Where(c => c.GetProperty("max_length").GetInt32() == 512).ToList();
        return doc.RootElement.GetProperty("explain").EnumerateArray().Select(e =>
        {
            var ids = Ints(e.GetProperty("input_ids"));
            // The explain entries carry ids only; the pair is the golden case that tokenizes to the same ids.
            var pair = cases.First(c => Ints(c.GetProperty("input_ids")).SequenceEqual(ids));
            return new GoldenExplain(pair.GetProperty("query").GetString()!, pair.GetProperty("document").GetString()!, ids,
                e.GetProperty("logit").GetDouble(), Attentions(e.GetProperty("attentions")),
                Doubles(e.GetProperty("saliency")), Doubles(e.GetProperty("gradient_times_input")));
        }).ToList();
    }

    [Fact]
    public void TinyBertExplainJsonMatchesTheGoldenAttentionsSaliencyAndGradientTimesInput()
    {
        foreach (var (golden, n) in Golden("tiny-bert-reranker").Select((g, n) => (g, n)))
        {
            using var dir = new ScratchFolder();
            string output = Path.Combine(dir.Path, "out");
            var run = CliProcess.Run("explain", "--model", SharedData.Fixture("tiny-bert-reranker"), "--query", golden.Query, "--doc", golden.Document,
                "--out", output, "--steps", "100", "--json");
            Assert.True(run.ExitCode == 0, run.Stderr);
            var json = Explained(output);
            AssertMatchesGolden(golden, json);

            var ig = json.GetProperty("integrated_gradients_completeness");
            double sum = Doubles(json.GetProperty("integrated_gradients")).Sum();
            double delta = ig.GetProperty("input_score").GetDouble() - ig.GetProperty("baseline_score").GetDouble();
            Assert.Equal(100, ig.GetProperty("steps").GetInt32());
            Assert.True(Math.Abs(delta) > 1e-3, $"pair {n}: the [PAD] baseline should change the score");
            Assert.True(Math.Abs(sum - delta) <= 0.01 * Math.Abs(delta), $"pair {n}: attributions sum {sum}, score difference {delta}");
            Assert.Equal(golden.Logit, ig.GetProperty("input_score").GetDouble(), 4);

            var rollout = Doubles(json.GetProperty("rollout"));
            Assert.Equal(golden.InputIds.Length, rollout.Length);
            Assert.Equal(1.0, rollout.Sum(), 4);
            var pca = json.GetProperty("pca").EnumerateArray().ToList();
            Assert.Equal(5, pca.Count);
            Assert.All(pca, t => Assert.Equal(3, t.GetProperty("layers").GetArrayLength()));

            var printed = JsonDocument.Parse(run.Stdout).RootElement;
            Assert.Equal(json.GetProperty("score").GetDouble(), printed.GetProperty("score").GetDouble(), 9);
            AssertEveryFileWritten(output, printed, layerNumber: 2);
        }
    }

    [Fact]
    public void MiniLmShapedExplainJsonMatchesTheGoldenValuesAndDrawsTheChosenLayer()
    {
        var golden = Golden("minilm-l6-shaped-reranker").Single();
        using var dir = new ScratchFolder();
        string output = Path.Combine(dir.Path, "out");
        var run = CliProcess.Run("explain", "-m", SharedData.Fixture("minilm-l6-shaped-reranker"), "-q", golden.Query, "--doc", golden.Document,
            "--out", output, "--layer", "3", "--steps", "8", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = Explained(output);
        AssertMatchesGolden(golden, json);
        Assert.Equal(3, json.GetProperty("layer").GetInt32());
        var entropy = json.GetProperty("attention_entropy");
        Assert.Equal(6, entropy.GetArrayLength());
        Assert.All(entropy.EnumerateArray(), l => Assert.All(Doubles(l), h => Assert.InRange(h, 0, Math.Log(golden.InputIds.Length) + 1e-6)));
        AssertEveryFileWritten(output, JsonDocument.Parse(run.Stdout).RootElement, layerNumber: 3);
    }

    [Fact]
    public void ExplainPrintsTheCompletenessCheckAndRejectsALayerTheModelLacks()
    {
        using var dir = new ScratchFolder();
        var ok = CliProcess.Run("explain", "--model", SharedData.Fixture("tiny-bert-reranker"), "--query", "who invented the telephone",
            "--doc", "Bell patented the telephone", "--out", Path.Combine(dir.Path, "a"), "--steps", "10");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Contains("integrated gradients completeness", ok.Stdout);
        Assert.Contains("score(input) - score(baseline)", ok.Stdout);

        var bad = CliProcess.Run("explain", "--model", SharedData.Fixture("tiny-bert-reranker"), "--query", "q", "--doc", "d",
            "--out", Path.Combine(dir.Path, "b"), "--layer", "3");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--layer 3 does not exist: the model has layers 1 to 2", bad.Stderr);
        Assert.Single(bad.Stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "b")));

        var embedder = CliProcess.Run("explain", "--model", SharedData.Fixture("tiny-bert-embedder"), "--query", "q", "--doc", "d", "--out", Path.Combine(dir.Path, "c"));
        Assert.Equal(2, embedder.ExitCode);
        Assert.Contains("not a cross-encoder", embedder.Stderr);
    }

    [Fact]
    public void ExplainBatchNumbersPairsGoesOnPastFailuresAndWritesTheIndexAndSummary()
    {
        using var dir = new ScratchFolder();
        string pairs = dir.Write("pairs.jsonl", string.Join('\n',
            """{"query": "who invented the telephone", "document": "Alexander Graham Bell patented the telephone in 1876"}""",
            """{"query": "who invented the telephone", "document": "The telephone was invented in the 19th century"}""",
            """{"query": "how many people live in berlin", "document": "Berlin has about 3.5 million inhabitants", "id": "berlin/1"}""",
            """{"query": "missing document"}""",
            "not json at all",
            """{"query": "how many people live in berlin", "document": "Paris is the capital of France"}""") + "\n");
        string output = Path.Combine(dir.Path, "batch");
        var run = CliProcess.Run("explain-batch", "--model", SharedData.Fixture("tiny-bert-reranker"), "--pairs", pairs, "--out", output, "--steps", "5");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("4 explained, 2 failed", run.Stdout);
        Assert.Contains("line4", run.Stdout);
        Assert.Contains("missing string field \"document\"", run.Stdout);
        Assert.Contains("line5", run.Stdout);
        string[] ids = ["q1_d1", "q1_d2", "berlin_1", "q2_d2"];
        foreach (string id in ids)
            foreach (string file in new[] { "explain.json", "report.html", "saliency.png", "trajectory.gif", "attention_heads_layer2.png" })
                Assert.True(File.Exists(Path.Combine(output, id, file)), $"{id}/{file}");

        string index = File.ReadAllText(Path.Combine(output, "index.html"));
        Assert.Contains(NotExplanations, index);
        foreach (string id in ids)
            Assert.Contains($"href=\"{id}/report.html\"", index);
        Assert.Contains("Failures", index);

        var rows = File.ReadAllLines(Path.Combine(output, "summary.csv"));
        Assert.StartsWith("id,query,document,status,score", rows[0]);
        Assert.Equal(7, rows.Length);
        Assert.Equal(ids, rows.Skip(1).Take(4).Select(r => r.Split(',')[0]));
        Assert.All(rows.Skip(1).Take(4), r => Assert.Contains(",ok,", r));
        Assert.Equal(2, rows.Count(r => r.Contains(",failed,")));
        foreach (string id in ids)
        {
            var json = Explained(Path.Combine(output, id));
            var scoreInCsv = double.Parse(rows.Single(r => r.StartsWith(id + ",")).Split(',')[4], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(json.GetProperty("score").GetDouble(), scoreInCsv, 9);
        }
    }

    private static JsonElement Explained(string folder) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "explain.json"))).RootElement;

    private static void AssertMatchesGolden(GoldenExplain golden, JsonElement json)
    {
        Assert.Equal(golden.InputIds, Ints(json.GetProperty("input_ids")));
        Assert.Equal(golden.InputIds.Length, json.GetProperty("tokens").GetArrayLength());
        Assert.True(Math.Abs(golden.Logit - json.GetProperty("score").GetDouble()) < 1e-4, $"score {json.GetProperty("score")} vs {golden.Logit}");
        var attentions = Attentions(json.GetProperty("attentions"));
        Assert.Equal(golden.Attentions.Length, attentions.Length);
        for (int l = 0; l < attentions.Length; l++)
            for (int h = 0; h < attentions[l].Length; h++)
                for (int i = 0; i < attentions[l][h].Length; i++)
                    for (int j = 0; j < attentions[l][h][i].Length; j++)
                        Assert.True(Math.Abs(golden.Attentions[l][h][i][j] - attentions[l][h][i][j]) < 1e-5, $"attention [{l}][{h}][{i}][{j}]");
        GoldenAssert.Close(golden.Saliency, Doubles(json.GetProperty("saliency")), 1e-3, "saliency");
        GoldenAssert.Close(golden.GradientTimesInput, Doubles(json.GetProperty("gradient_times_input")), 1e-3, "gradient_times_input");
    }

    private static void AssertEveryFileWritten(string output, JsonElement printed, int layerNumber)
    {
        string[] expected = [$"attention_heads_layer{layerNumber}.png", "attention_all_layers.png", "saliency.png", "integrated_gradients.png",
            "trajectory.png", "trajectory.gif", "explain.json", "report.html"];
        Assert.Equal(expected.Order(), Directory.GetFiles(output).Select(Path.GetFileName).Order());
        var stated = printed.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(expected.Length, stated.Count);
        foreach (var file in stated.Where(f => f.TryGetProperty("width", out _)))
        {
            string path = file.GetProperty("path").GetString()!;
            using var codec = SKCodec.Create(path);
            Assert.NotNull(codec);
            Assert.Equal(file.GetProperty("width").GetInt32(), codec.Info.Width);
            Assert.Equal(file.GetProperty("height").GetInt32(), codec.Info.Height);
            using var bitmap = SKBitmap.Decode(path);
            Assert.NotNull(bitmap);
            if (path.EndsWith(".gif"))
            {
                Assert.Equal(SKEncodedImageFormat.Gif, codec.EncodedFormat);
                Assert.True(codec.FrameCount >= 5, $"{codec.FrameCount} frames");
                Assert.Equal(file.GetProperty("frames").GetInt32(), codec.FrameCount);
            }
            else
                Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        }
        Assert.Equal((900, 700), Size(stated, "trajectory.png"));
        Assert.Equal((640, 480), Size(stated, "trajectory.gif"));

        string report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains(NotExplanations, report);
        Assert.Contains("Integrated gradients", report);
        Assert.Contains("Gradient saliency", report);
        Assert.Equal(5, report.Split("src=\"data:image/png;base64,").Length - 1);
        Assert.Contains("src=\"data:image/gif;base64,", report);
        Assert.DoesNotContain("http://", report);
        Assert.DoesNotContain("https://", report);
        Assert.DoesNotContain("<script", report);
        Assert.DoesNotContain("<link", report);
    }

    private static (int, int) Size(List<JsonElement> files, string name)
    {
        var f = files.Single(x => Path.GetFileName(x.GetProperty("path").GetString()) == name);
        return (f.GetProperty("width").GetInt32(), f.GetProperty("height").GetInt32());
    }

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    private static double[][][][] Attentions(JsonElement e) =>
        e.EnumerateArray().Select(l => l.EnumerateArray().Select(h => h.EnumerateArray().Select(Doubles).ToArray()).ToArray()).ToArray();
}
