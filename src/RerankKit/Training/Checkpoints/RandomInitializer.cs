using RerankKit.Export;
using RerankKit.Models;

namespace RerankKit.Training.Checkpoints;

/// <summary>Fresh weights the way transformers' <c>BertPreTrainedModel._init_weights</c> draws them: linear and
/// embedding weights ~ N(0, initializer_range), the padding row of the word embeddings zero, biases zero, LayerNorm
/// weight one. Deterministic for a seed.</summary>
public static class RandomInitializer
{
    public static IReadOnlyList<NamedTensor> Initialize(ModelConfig config, double initializerRange, SeededRandom random)
    {
        var tensors = new List<NamedTensor>();
        foreach (var (name, shape) in ParameterLayout.For(config))
        {
            var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
            if (name.Contains("LayerNorm.weight", StringComparison.Ordinal))
                Array.Fill(data, 1f);
            else if (!name.EndsWith("bias", StringComparison.Ordinal))
            {
                for (int i = 0; i < data.Length; i++)
                    data[i] = (float)(random.NextGaussian() * initializerRange);
                if (name.EndsWith("word_embeddings.weight", StringComparison.Ordinal) && config.PadTokenId >= 0 && config.PadTokenId < shape[0])
                    Array.Clear(data, (int)(config.PadTokenId * shape[1]), (int)shape[1]);
            }
            tensors.Add(new NamedTensor(name, shape, data));
        }
        return tensors;
    }
}
