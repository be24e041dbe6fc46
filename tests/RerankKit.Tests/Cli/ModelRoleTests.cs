using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary>A model of the wrong kind for its role (an embedder's graph as a classifier, a cross-encoder as the
/// embedding model) is refused on load with one line and exit 2 instead of producing garbage with exit 0.</summary>
public sealed class ModelRoleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rk-model-role-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertUserError(CliProcess.Result run, string expected)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Stderr}");
        string[] lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got: {run.Stderr}");
        Assert.Contains(expected, lines[0]);
    }

    /// <summary>A copy of fixture <paramref name="name"/> with the ONNX export of fixture <paramref name="other"/>
    /// beside its own as onnx/other.onnx.</summary>
    private string CopyWithOtherGraph(string name, string other)
    {
        string model = Path.Combine(_dir, name);
        string source = SharedData.Fixture(name);
        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(model, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        File.Copy(Path.Combine(SharedData.Fixture(other), "onnx", "model.onnx"), Path.Combine(model, "onnx", "other.onnx"));
        return model;
    }

    [Fact]
    public void Embedder_graph_given_as_the_onnx_file_of_a_cross_encoder_is_refused()
    {
        string model = CopyWithOtherGraph("tiny-bert-reranker", "tiny-bert-embedder");
        string pairs = Path.Combine(_dir, "pairs.jsonl");
        File.WriteAllText(pairs, "{\"query\":\"q\",\"document\":\"d\"}\n");

        AssertUserError(CliProcess.Run("score", "--model", model, "--pairs", pairs, "--onnx-file", "onnx/other.onnx"),
            "its output 'last_hidden_state' has rank 3, a cross-encoder needs [batch, num_labels]");
    }

    [Fact]
    public void Classifier_graph_given_as_the_onnx_file_of_a_bi_encoder_is_refused()
    {
        string model = CopyWithOtherGraph("tiny-bert-embedder", "tiny-bert-reranker");
        var e = Assert.Throws<ModelLoadException>(() => new BiEncoder(model, new BiEncoderOptions { OnnxFile = "onnx/other.onnx", Threads = 1 }));
        Assert.Contains("has rank 2, a bi-encoder needs [batch, sequence, hidden]", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Cross_encoder_given_as_the_embedding_model_of_mine_is_refused()
    {
        string beir = Path.Combine(_dir, "beir");
        Directory.CreateDirectory(Path.Combine(beir, "qrels"));
        File.WriteAllLines(Path.Combine(beir, "corpus.jsonl"),
            ["{\"_id\":\"d1\",\"title\":\"\",\"text\":\"low-rank adapters\"}", "{\"_id\":\"d2\",\"title\":\"\",\"text\":\"attention heads\"}"]);
        File.WriteAllLines(Path.Combine(beir, "queries.jsonl"), ["{\"_id\":\"q1\",\"text\":\"what is LoRA\"}"]);
        File.WriteAllLines(Path.Combine(beir, "qrels", "train.tsv"), ["query-id\tcorpus-id\tscore", "q1\td1\t1"]);

        AssertUserError(CliProcess.Run("mine", "--dataset", beir, "--first-stage", "dense", "--embed-model", SharedData.Fixture("tiny-bert-reranker"),
            "--num-negatives", "1", "--out", Path.Combine(_dir, "mined.jsonl")), "is a cross-encoder (BertForSequenceClassification), not a bi-encoder");
    }
}
