using RerankKit.Models;
using RerankKit.Numerics;

namespace RerankKit.Engine;

/// <summary>Fresh parameters for a config, initialised as Hugging Face's <c>_init_weights</c> does, with the names
/// <c>save_pretrained</c> writes for the config's architecture.</summary>
internal static class RandomParameters
{
    public static ParameterSet Create(ModelConfig config, int seed, float std)
    {
        var random = new Random(seed);
        int h = config.HiddenSize, inter = config.IntermediateSize;
        bool classifier = config.IsSequenceClassification;
        string prefix = !classifier ? "" : config.IsRoberta ? "roberta." : "bert.";
        var list = new List<Parameter>();

        Parameter Normal(string name, params int[] shape)
        {
            var data = new float[NamedTensor.Count(shape)];
            for (int i = 0; i < data.Length; i++)
                data[i] = (float)(std * StandardNormal.Sample(random));
            var p = new Parameter(name, shape, data);
            list.Add(p);
            return p;
        }
        void Fill(string name, float value, params int[] shape)
        {
            var data = new float[NamedTensor.Count(shape)];
            Array.Fill(data, value);
            list.Add(new Parameter(name, shape, data));
        }
        void Dense(string name, int outSize, int inSize)
        {
            Normal(name + ".weight", outSize, inSize);
            Fill(name + ".bias", 0f, outSize);
        }
        void Norm(string name)
        {
            Fill(name + ".weight", 1f, h);
            Fill(name + ".bias", 0f, h);
        }

        var word = Normal(prefix + "embeddings.word_embeddings.weight", config.VocabSize, h);
        if (config.PadTokenId >= 0 && config.PadTokenId < config.VocabSize)
            Array.Clear(word.Data, config.PadTokenId * h, h);
        Normal(prefix + "embeddings.position_embeddings.weight", config.MaxPositionEmbeddings, h);
        Normal(prefix + "embeddings.token_type_embeddings.weight", Math.Max(1, config.TypeVocabSize), h);
        Norm(prefix + "embeddings.LayerNorm");
        for (int l = 0; l < config.NumHiddenLayers; l++)
        {
            string p = $"{prefix}encoder.layer.{l}.";
            Dense(p + "attention.self.query", h, h);
            Dense(p + "attention.self.key", h, h);
            Dense(p + "attention.self.value", h, h);
            Dense(p + "attention.output.dense", h, h);
            Norm(p + "attention.output.LayerNorm");
            Dense(p + "intermediate.dense", inter, h);
            Dense(p + "output.dense", h, inter);
            Norm(p + "output.LayerNorm");
        }
        if (!classifier || !config.IsRoberta)
            Dense(prefix + "pooler.dense", h, h);
        if (classifier && config.IsRoberta)
        {
            Dense("classifier.dense", h, h);
            Dense("classifier.out_proj", config.NumLabels, h);
        }
        else if (classifier)
            Dense("classifier", config.NumLabels, h);
        return new ParameterSet(list);
    }
}
