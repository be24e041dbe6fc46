using RerankKit.Models;

namespace RerankKit.Training.Checkpoints;

/// <summary>The Hugging Face parameter names and shapes of a BERT / XLM-RoBERTa encoder, with its pooler, or its sequence-classification
/// head when the config asks for one (BERT: pooler + classifier; XLM-R: classifier.dense + classifier.out_proj).</summary>
public static class ParameterLayout
{
    public static IReadOnlyList<(string Name, long[] Shape)> For(ModelConfig config)
    {
        long h = config.HiddenSize, ffn = config.IntermediateSize;
        bool classifier = config.IsSequenceClassification;
        string p = classifier ? (config.IsRoberta ? "roberta." : "bert.") : "";
        var list = new List<(string, long[])>
        {
            ($"{p}embeddings.word_embeddings.weight", [config.VocabSize, h]),
            ($"{p}embeddings.position_embeddings.weight", [config.MaxPositionEmbeddings, h]),
            ($"{p}embeddings.token_type_embeddings.weight", [config.TypeVocabSize, h]),
            ($"{p}embeddings.LayerNorm.weight", [h]),
            ($"{p}embeddings.LayerNorm.bias", [h]),
        };
        for (int l = 0; l < config.NumHiddenLayers; l++)
        {
            string e = $"{p}encoder.layer.{l}.";
            foreach (var name in new[] { "query", "key", "value" })
            {
                list.Add(($"{e}attention.self.{name}.weight", [h, h]));
                list.Add(($"{e}attention.self.{name}.bias", [h]));
            }
            list.Add(($"{e}attention.output.dense.weight", [h, h]));
            list.Add(($"{e}attention.output.dense.bias", [h]));
            list.Add(($"{e}attention.output.LayerNorm.weight", [h]));
            list.Add(($"{e}attention.output.LayerNorm.bias", [h]));
            list.Add(($"{e}intermediate.dense.weight", [ffn, h]));
            list.Add(($"{e}intermediate.dense.bias", [ffn]));
            list.Add(($"{e}output.dense.weight", [h, ffn]));
            list.Add(($"{e}output.dense.bias", [h]));
            list.Add(($"{e}output.LayerNorm.weight", [h]));
            list.Add(($"{e}output.LayerNorm.bias", [h]));
        }
        if (classifier && config.IsRoberta)
        {
            list.Add(("classifier.dense.weight", [h, h]));
            list.Add(("classifier.dense.bias", [h]));
            list.Add(("classifier.out_proj.weight", [config.NumLabels, h]));
            list.Add(("classifier.out_proj.bias", [config.NumLabels]));
        }
        else
        {
            // BertModel and XLMRobertaModel keep their pooler; the BERT classifier reads it.
            list.Add(($"{p}pooler.dense.weight", [h, h]));
            list.Add(($"{p}pooler.dense.bias", [h]));
            if (classifier)
            {
                list.Add(("classifier.weight", [config.NumLabels, h]));
                list.Add(("classifier.bias", [config.NumLabels]));
            }
        }
        return list;
    }
}
