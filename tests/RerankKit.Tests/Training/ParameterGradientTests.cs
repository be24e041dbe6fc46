using RerankKit.Engine;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Training;

/// <summary>The trainer updates every parameter from the engine's backward pass; each tensor's gradient is checked
/// against central finite differences of the logits on a padded two-pair batch.</summary>
public sealed class ParameterGradientTests
{
    [Theory]
    [InlineData("tiny-bert-reranker")]
    [InlineData("tiny-xlmr-reranker")]
    public void EveryParameterGradientMatchesFiniteDifferences(string fixture)
    {
        var config = ModelConfig.Load(Path.Combine(SharedData.Fixture(fixture), "config.json"));
        var model = TransformerModel.CreateRandom(config, 5, 0.2f);
        int[][] ids = [[5, 200, 300, 6, 400, 200, 6], [5, 250, 6, 260, 6]];
        if (!config.IsRoberta)
            ids = [[101, 2000, 3000, 102, 4000, 2000, 102], [101, 2500, 102, 2600, 102]];
        int[][]? types = config.IsRoberta ? null : [[0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1]];
        var input = EncoderInput.Pad(ids, config.PadTokenId, types);
        float[] weights = [1f, -0.7f];
        double Loss()
        {
            var logits = model.Forward(input).Logits!;
            return (double)logits[0] * weights[0] + (double)logits[1] * weights[1];
        }
        var gradients = model.Parameters.ZerosLike();
        model.Backward(model.Forward(input, ForwardOptions.Training), weights, null, gradients);
        var used = ids.SelectMany(x => x).Distinct().ToArray();
        var random = new Random(1);
        foreach (var p in model.Parameters)
        {
            var g = gradients[p.Name].Data;
            double largest = g.Max(Math.Abs);
            for (int trial = 0; trial < 4; trial++)
            {
                // Word-embedding rows of tokens not in the batch have zero gradient; probe rows that are used.
                int i = p.Name.Contains("word_embeddings", StringComparison.Ordinal)
                    ? used[trial % used.Length] * config.HiddenSize + trial
                    : random.Next(p.Length);
                float old = p.Data[i];
                const float h = 1e-2f;
                p.Data[i] = old + h;
                double plus = Loss();
                p.Data[i] = old - h;
                double minus = Loss();
                p.Data[i] = old;
                double numeric = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numeric - g[i]) <= 1e-3 * Math.Max(1, largest), $"{p.Name}[{i}]: backward {g[i]} vs finite difference {numeric}");
            }
        }
    }
}
