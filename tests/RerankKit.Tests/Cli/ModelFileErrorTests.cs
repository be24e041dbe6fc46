using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary>Malformed model files are user errors (one line, exit 2) in every command that reads them.</summary>
public class ModelFileErrorTests
{
    private static string CopyFixture(ScratchFolder dir, string name)
    {
        string source = SharedData.Fixture(name);
        string target = Path.Combine(dir.Path, name);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    [Theory]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{"model_type":"bert","architectures":[1]}""", "config.json")]
    [InlineData("""{"model_type":"bert","architectures":["BertForSequenceClassification"],"hidden_size":1.5}""", "config.json")]
    public void A_malformed_config_is_one_line(string config, string expected)
    {
        using var dir = new ScratchFolder();
        string model = CopyFixture(dir, "tiny-bert-reranker");
        File.WriteAllText(Path.Combine(model, "config.json"), config);
        CliAssert.UserError(CliProcess.Run("rerank", "--model", model, "-q", "q", "--doc", "d"), expected);
    }

    [Fact]
    public void Modules_json_that_is_not_an_array_is_one_line()
    {
        using var dir = new ScratchFolder();
        string model = CopyFixture(dir, "tiny-bert-embedder");
        File.WriteAllText(Path.Combine(model, "modules.json"), """{"0":{"type":"Pooling"}}""");
        CliAssert.UserError(CliProcess.Run("embed", "--model", model, "--text", "t"), "modules.json must be a JSON array");
    }

    [Fact]
    public void A_corrupt_base_model_config_in_train_is_one_line()
    {
        using var dir = new ScratchFolder();
        string model = CopyFixture(dir, "tiny-bert-reranker");
        File.WriteAllText(Path.Combine(model, "config.json"), """{"model_type": "bert", "architectures": [""");
        string train = dir.Write("train.jsonl", """{"query":"q","positive":"p","negative":"n"}""" + "\n");
        CliAssert.UserError(CliProcess.Run("train", "reranker", "--base-model", model, "--train", train, "--out", Path.Combine(dir.Path, "out")),
            "config.json is not valid JSON");
    }

    [Fact]
    public void A_corrupt_embedder_config_in_mine_is_one_line()
    {
        using var dir = new ScratchFolder();
        string model = CopyFixture(dir, "tiny-bert-embedder");
        File.WriteAllText(Path.Combine(model, "config.json"), "[]");
        dir.Write("beir/corpus.jsonl", """{"_id":"d1","title":"","text":"alpha"}""" + "\n" + """{"_id":"d2","title":"","text":"beta"}""" + "\n");
        dir.Write("beir/queries.jsonl", """{"_id":"q1","text":"alpha"}""" + "\n");
        dir.Write("beir/qrels/train.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
        CliAssert.UserError(CliProcess.Run("mine", "--dataset", Path.Combine(dir.Path, "beir"), "--first-stage", "dense", "--embed-model", model,
            "--out", Path.Combine(dir.Path, "mined.jsonl")), "must be a JSON object");
    }
}
