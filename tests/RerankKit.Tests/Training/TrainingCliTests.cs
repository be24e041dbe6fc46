using System.CommandLine;
using System.Text.Json;
using RerankKit.Cli;
using RerankKit.Engine;
using RerankKit.Models;
using RerankKit.Training;
using RerankKit.Training.Data;

namespace RerankKit.Tests.Training;

[Collection(RerankKit.Tests.Infrastructure.ConsoleCollection.Name)]
public sealed class TrainingCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rerankkit-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldErr) = (Console.Out, Console.Error);
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

    /// <summary>A BEIR folder of the rare-word task: each query's one relevant document, plus every query's
    /// hard negatives in the corpus.</summary>
    private string WriteBeir(IReadOnlyList<SyntheticRareWordTask.Query> queries, string split)
    {
        string folder = Path.Combine(_dir, "beir");
        Directory.CreateDirectory(Path.Combine(folder, "qrels"));
        var corpus = new List<string>();
        var qrels = new List<string> { "query-id\tcorpus-id\tscore" };
        foreach (var q in queries)
        {
            corpus.Add(JsonSerializer.Serialize(new Dictionary<string, string> { ["_id"] = $"{q.Id}-p", ["title"] = "", ["text"] = q.Positive }));
            corpus.AddRange(q.Negatives.Select((n, i) => JsonSerializer.Serialize(new Dictionary<string, string> { ["_id"] = $"{q.Id}-n{i}", ["title"] = "", ["text"] = n })));
            qrels.Add($"{q.Id}\t{q.Id}-p\t1");
        }
        File.WriteAllLines(Path.Combine(folder, "corpus.jsonl"), corpus);
        File.WriteAllLines(Path.Combine(folder, "queries.jsonl"), queries.Select(q => JsonSerializer.Serialize(new Dictionary<string, string> { ["_id"] = q.Id, ["text"] = q.Text })));
        File.WriteAllLines(Path.Combine(folder, "qrels", split + ".tsv"), qrels);
        return folder;
    }

    [Fact]
    public void MineTrainAndExportRunEndToEnd()
    {
        var queries = SyntheticRareWordTask.Generate(30, 4, 31, "q");
        string beir = WriteBeir(queries, "train");
        string mined = Path.Combine(_dir, "mined.jsonl");

        var mine = Run("mine", "--dataset", beir, "--split", "train", "--first-stage", "bm25", "--num-negatives", "3",
            "--format", "n-tuple", "--out", mined, "--json");
        Assert.True(mine.Code == 0, mine.Err);
        using (var summary = JsonDocument.Parse(mine.Out))
        {
            Assert.Equal(30, summary.RootElement.GetProperty("queries").GetInt32());
            Assert.Equal("bm25", summary.RootElement.GetProperty("first_stage").GetString());
        }
        var rows = TrainingDataset.Load(mined).Ranking;
        Assert.NotEmpty(rows);
        var positives = queries.ToDictionary(q => q.Text, q => q.Positive);
        // Every row's positive is its query's judged document, which is never among its negatives.
        Assert.All(rows, r =>
        {
            Assert.Equal(positives[r.Query], r.Positive);
            Assert.Equal(3, r.Negatives.Count);
            Assert.DoesNotContain(r.Positive, r.Negatives);
        });

        string model = SyntheticRareWordTask.WriteTinyModelFolder(Path.Combine(_dir, "base"), ModelKind.CrossEncoder, initializerRange: 0.1);
        string output = Path.Combine(_dir, "trained");
        var train = Run("train", "reranker", "--base-model", model, "--train", mined, "--out", output, "--loss", "listwise",
            "--epochs", "1", "--batch-size", "8", "--lr", "1e-3", "--max-length", "32", "--eval-dataset", beir, "--eval-split", "train", "--json");
        Assert.True(train.Code == 0, train.Err);
        using (var summary = JsonDocument.Parse(train.Out))
        {
            Assert.Equal((rows.Count + 7) / 8, summary.RootElement.GetProperty("steps").GetInt32());
            Assert.Equal(2, summary.RootElement.GetProperty("evaluations").GetArrayLength());
        }
        Assert.NotNull(TransformerModel.Load(output));

        var export = Run("export-onnx", "--model", output, "--json");
        Assert.True(export.Code == 0, export.Err);
        Assert.True(File.Exists(Path.Combine(output, "onnx", "model.onnx")));

        string embedderBase = SyntheticRareWordTask.WriteTinyModelFolder(Path.Combine(_dir, "base-e"), ModelKind.BiEncoder);
        string embedderOut = Path.Combine(_dir, "embedder");
        var embed = Run("train", "embedder", "--base-model", embedderBase, "--train", mined, "--out", embedderOut,
            "--epochs", "1", "--batch-size", "8", "--lr", "1e-3", "--max-length", "32", "--json");
        Assert.True(embed.Code == 0, embed.Err);
        Assert.True(File.Exists(Path.Combine(embedderOut, "modules.json")));
        using (var embedder = new BiEncoder(embedderOut, new BiEncoderOptions { Engine = NativeEngine.EngineName }))
            Assert.Equal(32, embedder.Encode([queries[0].Text])[0].Length);

        var missing = Run("train", "reranker", "--base-model", model, "--train", Path.Combine(_dir, "absent.jsonl"), "--out", output);
        Assert.Equal(2, missing.Code);
        Assert.Contains("absent.jsonl", missing.Err);
    }
}
