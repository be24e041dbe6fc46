using System.Text.Json.Nodes;
using RerankKit.Engine;
using RerankKit.Models;

namespace RerankKit.Training.Checkpoints;

/// <summary>The model training starts from: a Hugging Face folder's weights, or, for a folder with config.json and
/// tokenizer files but no weights, a seeded random initialisation. A reranker trained from an encoder-only
/// checkpoint gets the <c>*ForSequenceClassification</c> config and a fresh head, as
/// <c>CrossEncoder("bert-base-uncased", num_labels=1)</c> does: encoder tensors by name from the checkpoint, the pooler
/// too when the checkpoint has one (sentence-transformers exports of a <c>BertModel</c> often do not; it is then drawn
/// fresh, as <c>from_pretrained</c> does), and a seeded classifier. <see cref="NewTensors"/> names what was drawn fresh.</summary>
public sealed record BaseModel(TransformerModel Model, JsonObject ConfigJson, string Folder, bool RandomlyInitialized)
{
    /// <summary>Parameters that did not come from the checkpoint (seeded normal(0, initializer_range) weights, zero biases).</summary>
    public IReadOnlyList<string> NewTensors { get; init; } = [];

    /// <param name="initFromEncoder">For a reranker: keep only the checkpoint's encoder (and pooler) even when it is
    /// already a sequence classifier, with a new one-label head.</param>
    public static BaseModel Load(string folder, ModelKind kind, int seed, bool initFromEncoder = false)
    {
        string configPath = Path.Combine(folder, "config.json");
        if (!File.Exists(configPath))
            throw new ModelLoadException($"{folder} has no config.json");
        var original = ModelConfig.Load(configPath);
        NativeFamilies.Require(original);
        // ModelConfig.Load has refused anything but a well-formed JSON object.
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(configPath))!;
        if (initFromEncoder && kind != ModelKind.CrossEncoder)
            throw new ArgumentException("initialising from an encoder applies to a reranker (cross-encoder) only");
        var target = kind == ModelKind.CrossEncoder ? AsClassifier(json, original, initFromEncoder) : json;
        var config = ModelConfig.Parse(System.Text.Json.JsonDocument.Parse(target.ToJsonString()).RootElement);

        // transformers draws fresh weights with the config's initializer_range (0.02 when absent).
        float range = json["initializer_range"] is JsonValue r && r.TryGetValue(out double d) ? (float)d : 0.02f;
        if (NativeWeights.Find(folder) is not { } weights)
            return new BaseModel(TransformerModel.CreateRandom(config, seed, range), target, folder, true);

        var loaded = TransformerModel.FromWeights(original, weights);
        if (kind == ModelKind.CrossEncoder && (initFromEncoder || !original.IsSequenceClassification))
        {
            var fresh = TransformerModel.CreateRandom(config, seed, range);
            var copied = CopyEncoder(loaded, fresh);
            return new BaseModel(fresh, target, folder, false)
            {
                NewTensors = fresh.Parameters.Select(p => p.Name).Where(n => !copied.Contains(n)).ToList(),
            };
        }
        if (kind == ModelKind.BiEncoder && original.IsSequenceClassification)
            throw new ModelLoadException($"{folder} is a {original.Architecture}; train an embedder from an encoder (BertModel / XLMRobertaModel) checkpoint");
        return new BaseModel(loaded, target, folder, false);
    }

    private static JsonObject AsClassifier(JsonObject json, ModelConfig config, bool newHead)
    {
        if (config.IsSequenceClassification && !newHead)
            return json;
        var copy = (JsonObject)json.DeepClone();
        string family = config.IsRoberta ? (config.ModelType == "roberta" ? "Roberta" : "XLMRoberta") : "Bert";
        copy["architectures"] = new JsonArray(family + "ForSequenceClassification");
        copy.Remove("num_labels");
        copy["id2label"] = new JsonObject { ["0"] = "LABEL_0" };
        copy["label2id"] = new JsonObject { ["LABEL_0"] = 0 };
        return copy;
    }

    /// <summary>Copies every encoder tensor by its name without the <c>bert.</c>/<c>roberta.</c> prefix; returns the
    /// names copied. A RoBERTa-style classifier's <c>classifier.dense</c> is head, not encoder, so it stays fresh.</summary>
    private static HashSet<string> CopyEncoder(TransformerModel from, TransformerModel to)
    {
        var copied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in to.Parameters)
        {
            if (!p.Name.StartsWith(to.Prefix, StringComparison.Ordinal) || p.Name.StartsWith("classifier.", StringComparison.Ordinal))
                continue;
            string source = from.Prefix + p.Name[to.Prefix.Length..];
            if (from.Parameters.TryGet(source, out var s) && s.Length == p.Length)
            {
                s.Data.CopyTo(p.Data, 0);
                copied.Add(p.Name);
            }
        }
        return copied;
    }
}
