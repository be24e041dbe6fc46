using RerankKit.Retrieval;

namespace RerankKit.Tests.Retrieval;

public sealed class Bm25IndexTests
{
    [Fact]
    public void Analyzer_lowercases_removes_stop_words_and_porter_stems()
    {
        using var analyzer = new EnglishTextAnalyzer();
        Assert.Equal(["run", "dog", "quickli", "gpu"], analyzer.Analyze("The Running of the DOGS, quickly: GPUs"));
    }

    [Fact]
    public void Scores_match_the_hand_computed_BM25_formula()
    {
        // Terms after analysis: d0 = [cat, sat], d1 = [cat, cat, dog, ran], d2 = [bird].
        string[] texts = ["The cat sat", "A cat, a cat and a dog ran", "bird"];
        var index = Bm25Index.Build(texts, new Bm25Options { K1 = 1.2f, B = 0.75f });
        var hits = index.Search(["cat"], 10);

        double avgdl = (2 + 4 + 1) / 3.0;
        double idf = Math.Log(1 + (3 - 2 + 0.5) / (2 + 0.5));
        double Score(double tf, double dl) => idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * dl / avgdl));
        Assert.Equal(2, hits.Length);
        Assert.Equal(1, hits[0].Index);
        Assert.Equal(Score(2, 4), hits[0].Score, 5);
        Assert.Equal(Score(1, 2), hits[1].Score, 5);

        // A repeated query term counts twice, as Anserini's bag-of-words query weights it.
        Assert.Equal(2 * Score(2, 4), index.Search(["cat", "cat"], 1)[0].Score, 4);
        Assert.Empty(index.Search(["zebra"], 5));
    }

    [Fact]
    public void Save_and_load_round_trip_and_reject_garbage()
    {
        string dir = Directory.CreateTempSubdirectory("rk-bm25-").FullName;
        try
        {
            var index = Bm25Index.Build(["alpha beta", "beta gamma gamma"]);
            string path = Path.Combine(dir, "bm25.bin");
            index.Save(path);
            var loaded = Bm25Index.Load(path);
            Assert.Equal(index.Search(["gamma", "beta"], 5), loaded.Search(["gamma", "beta"], 5));
            Assert.Equal(0.9f, loaded.Options.K1);

            File.WriteAllBytes(path, File.ReadAllBytes(path)[..20]);
            Assert.Throws<InvalidDataException>(() => Bm25Index.Load(path));
            File.WriteAllText(path, "not an index");
            Assert.Throws<InvalidDataException>(() => Bm25Index.Load(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
