using RerankKit.Evaluation;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Evaluation;

public sealed class TrecFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rk-trec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Run_file_round_trips_in_trec_eval_order_with_ranks()
    {
        var run = new TrecRun();
        run.Add("q1", "a", 0.5);
        run.Add("q1", "b", 0.5);
        run.Add("q1", "c", 0.9);
        string path = Path.Combine(_dir, "run.trec");
        run.WriteTrec(path, "bm25");

        Assert.Equal(["q1 Q0 c 1 0.9 bm25", "q1 Q0 b 2 0.5 bm25", "q1 Q0 a 3 0.5 bm25"], File.ReadAllLines(path));
        var back = TrecRun.ReadTrec(path);
        Assert.Equal(run.For("q1").OrderBy(r => r.DocumentId), back.For("q1").OrderBy(r => r.DocumentId));
        Assert.Throws<ArgumentException>(() => run.WriteTrec(path, "two words"));
    }

    [Fact]
    public void Trec_and_beir_qrels_are_read_and_malformed_lines_rejected()
    {
        string trec = Path.Combine(_dir, "qrels.txt");
        File.WriteAllLines(trec, ["q1 0 d1 2", "q1 0 d2 0"]);
        var qrels = Qrels.ReadTrec(trec);
        Assert.Equal(2, qrels.For("q1")["d1"]);
        Assert.Equal(0, qrels.For("q1")["d2"]);

        string bad = Path.Combine(_dir, "bad.txt");
        File.WriteAllLines(bad, ["q1 d1"]);
        var e = Assert.Throws<InvalidDataException>(() => Qrels.ReadTrec(bad));
        Assert.Contains("bad.txt:1", e.Message);
    }

    [Fact]
    public void Beir_folder_of_SciFact_has_300_judged_test_queries()
    {
        var dataset = BeirDataset.Load(SharedData.Dataset("scifact"), "test");
        Assert.Equal(5183, dataset.Corpus.Count);
        Assert.Equal(300, dataset.Queries.Count);
        Assert.Equal(339, dataset.Qrels.QueryIds.Sum(q => dataset.Qrels.For(q).Count));
        Assert.All(dataset.Corpus.Take(10), d => Assert.False(string.IsNullOrEmpty(d.Title)));
        Assert.Throws<FileNotFoundException>(() => BeirDataset.Load(SharedData.Dataset("scifact"), "dev"));

        var first = dataset.WithFirstQueries(5);
        Assert.Equal(dataset.Queries.Take(5), first.Queries);
        Assert.Equal(first.Queries.Select(q => q.Id).Order(), first.Qrels.QueryIds.Order());
    }
}
