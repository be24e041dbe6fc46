using System.Text.Json.Nodes;
using RerankKit.Engine;
using RerankKit.Models;

namespace RerankKit.Training.Checkpoints;

/// <summary>The model training starts from: a Hugging Face folder's weights, or, for a folder with config.json and
/// tokenizer files but no weights, a seeded random initialisation. A reranker trained from an encoder-only
/// checkpoint gets the <c>*ForSequenceClassification</c> config and a fresh head, as
/// <c>CrossEncoder("bert-base-uncased", num_labels=1)</c> does.</summary>
public sealed record BaseModel(TransformerModel Model, JsonObject ConfigJson, string Folder, bool RandomlyInitialized)
{
    public static BaseModel Load(string folder, ModelKind kind, int seed)
    {
        string configPath = Path.Combine(folder, "config.json");
        if (!File.Exists(configPath))
            throw new ModelLoadException($"{folder} has no config.json");
        var original = ModelConfig.Load(configPath);
        NativeFamilies.Require(original);
        // ModelConfig.Load has refused anything but a well-formed JSON object.
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(configPath))!;
        var target = kind == ModelKind.CrossEncoder ? AsClassifier(json, original) : json;
        var config = ModelConfig.Parse(System.Text.Json.JsonDocument.Parse(target.ToJsonString()).RootElement);

        // transformers draws fresh weights with the config's initializer_range (0.02 when absent).
        float range = json["initializer_range"] is JsonValue r && r.TryGetValue(out double d) ? (float)d : 0.02f;
        if (NativeWeights.Find(folder) is not { } weights)
            return new BaseModel(TransformerModel.CreateRandom(config, seed, range), target, folder, true);

        var loaded = TransformerModel.FromWeights(original, weights);
        if (kind == ModelKind.CrossEncoder && !original.IsSequenceClassification)
        {
            var fresh = TransformerModel.CreateRandom(config, seed, range);
            CopyEncoder(loaded, fresh);
            return new BaseModel(fresh, target, folder, false);
        }
        if (kind == ModelKind.BiEncoder && original.IsSequenceClassification)
            throw new ModelLoadException($"{folder} is a {original.Architecture}; train an embedder from an encoder (BertModel / XLMRobertaModel) checkpoint");
        return new BaseModel(loaded, target, folder, false);
    }

    private static JsonObject AsClassifier(JsonObject json, ModelConfig config)
    {
        if (config.IsSequenceClassification)
            return json;
        var copy = (JsonObject)json.DeepClone();
        string family = config.IsRoberta ? (config.ModelType == "roberta" ? "Roberta" : "XLMRoberta") : "Bert";
        copy["architectures"] = new JsonArray(family + "ForSequenceClassification");
        copy["id2label"] = new JsonObject { ["0"] = "LABEL_0" };
        copy["label2id"] = new JsonObject { ["LABEL_0"] = 0 };
        return copy;
    }

    /// <summary>Copies every encoder tensor by its name without the <c>bert.</c>/<c>roberta.</c> prefix.</summary>
    private static void CopyEncoder(TransformerModel from, TransformerModel to)
    {
        foreach (var p in to.Parameters)
        {
            if (!p.Name.StartsWith(to.Prefix, StringComparison.Ordinal))
                continue;
            string source = from.Prefix + p.Name[to.Prefix.Length..];
            if (from.Parameters.TryGet(source, out var s) && s.Length == p.Length)
                s.Data.CopyTo(p.Data, 0);
        }
    }
}
