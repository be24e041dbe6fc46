using System.Text.Json;
using RerankKit.Tests.Infrastructure;
using RerankKit.Training;
using RerankKit.Training.Mining;

namespace RerankKit.Tests.Training;

public sealed class DenseCorpusScorerTests
{
    [Fact]
    public void DenseScoresAreTheGoldenCosineSimilarities()
    {
        string folder = SharedData.Fixture("tiny-bert-embedder");
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "golden.json")));
        var texts = golden.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("text").GetString()!).ToList();
        var cosine = golden.RootElement.GetProperty("cosine_similarity").EnumerateArray()
            .Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

        var scorer = new DenseCorpusScorer(EngineEmbedder.FromFolder(folder), texts);
        for (int q = 0; q < texts.Count; q++)
        {
            var scores = scorer.ScoreAll(texts[q]);
            for (int d = 0; d < texts.Count; d++)
                Assert.True(Math.Abs(scores[d] - cosine[q][d]) < 1e-4, $"({q}, {d}): {scores[d]} vs golden {cosine[q][d]}");
        }
    }
}
