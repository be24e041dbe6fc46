using System.Text.Json;
using RerankKit.Explain;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Explain;

public sealed class AttributionGoldenTests
{
    [Fact]
    public void SaliencyAndGradientTimesInputFromTheGoldenGradientEqualTheGoldenValues()
    {
        string folder = SharedData.Fixture("tiny-bert-reranker");
        using var golden = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "golden.json")));
        var model = NativeExplainableModel.Load(folder);
        int hidden = model.Config.HiddenSize;
        foreach (var explain in golden.RootElement.GetProperty("explain").EnumerateArray())
        {
            var ids = explain.GetProperty("input_ids").EnumerateArray().Select(x => x.GetInt32()).ToArray();
            var gradient = explain.GetProperty("embedding_gradient").EnumerateArray()
                .SelectMany(row => row.EnumerateArray().Select(x => (float)x.GetDouble())).ToArray();
            var saliency = GradientAttribution.Saliency(gradient, hidden);
            var gradientTimesInput = GradientAttribution.GradientTimesInput(gradient, model.WordEmbeddings(ids), hidden);
            GoldenAssert.Close(Doubles(explain, "saliency"), saliency, 1e-5);
            GoldenAssert.Close(Doubles(explain, "gradient_times_input"), gradientTimesInput, 1e-5);
        }
    }

    [Fact]
    public void FeedingTheWordEmbeddingsGivesTheGoldenLogitAndTheGradientMatchesAFiniteDifference()
    {
        string folder = SharedData.Fixture("tiny-bert-reranker");
        using var golden = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "golden.json")));
        var explain = golden.RootElement.GetProperty("explain")[1];
        var ids = explain.GetProperty("input_ids").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var types = explain.GetProperty("token_type_ids").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var input = new RerankKit.Tokenization.EncodedInput(ids, types, ids.Select(i => i.ToString()).ToArray());
        var model = NativeExplainableModel.Load(folder);
        var embeddings = model.WordEmbeddings(ids);
        double logit = explain.GetProperty("logit").GetDouble();
        Assert.Equal(logit, model.Forward(input, embeddings, keepAll: false).Score, 4);
        var gradient = model.Gradient(input, embeddings);
        Assert.Equal(logit, gradient.Score, 4);

        // Central difference along the unit gradient direction: (f(x + e d) - f(x - e d)) / 2e ~ |gradient|.
        double norm = Math.Sqrt(gradient.EmbeddingGradient.Sum(g => (double)g * g));
        const float step = 1e-2f;
        float[] Shift(float sign) => embeddings.Select((v, k) => v + sign * step * (float)(gradient.EmbeddingGradient[k] / norm)).ToArray();
        double slope = (model.Forward(input, Shift(1), false).Score - model.Forward(input, Shift(-1), false).Score) / (2 * step);
        Assert.True(Math.Abs(slope - norm) < 0.02 * norm, $"finite difference {slope} vs gradient norm {norm}");
    }

    private static double[] Doubles(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetDouble()).ToArray();
}

internal static class GoldenAssert
{
    /// <summary>Every value within <paramref name="relative"/> of the largest expected magnitude.</summary>
    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relative, string what = "")
    {
        Assert.Equal(expected.Count, actual.Count);
        double scale = Math.Max(expected.Max(Math.Abs), 1e-12);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * scale,
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]} (tolerance {relative * scale})");
    }
}
