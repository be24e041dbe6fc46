using System.Text.Json;

namespace RerankKit.Models;

/// <summary>The fields of a Hugging Face <c>config.json</c> that an encoder needs.</summary>
public sealed record ModelConfig
{
    public required string ModelType { get; init; }
    public required IReadOnlyList<string> Architectures { get; init; }
    public int HiddenSize { get; init; }
    public int NumHiddenLayers { get; init; }
    public int NumAttentionHeads { get; init; }
    public int IntermediateSize { get; init; }
    public int VocabSize { get; init; }
    public int MaxPositionEmbeddings { get; init; }
    public int TypeVocabSize { get; init; }
    public double LayerNormEps { get; init; }
    public string HiddenAct { get; init; } = "gelu";
    public int PadTokenId { get; init; }
    public int NumLabels { get; init; } = 1;

    /// <summary>The label names in id order (<c>id2label</c>), <c>LABEL_i</c> where the config names none.</summary>
    public IReadOnlyList<string> Labels { get; init; } = ["LABEL_0"];

    /// <summary>The classes <c>auto_map</c> names (remote code that transformers would download and run), or null.</summary>
    public string? AutoMap { get; init; }

    /// <summary><c>sentence_transformers.activation_fn</c>, else the legacy <c>sbert_ce_default_activation_function</c>.</summary>
    public string? ActivationFunction { get; init; }

    /// <summary>XLM-R and RoBERTa count positions from <c>pad_token_id + 1</c>; BERT from 0.</summary>
    public bool IsRoberta => ModelType is "xlm-roberta" or "roberta" or "camembert";

    /// <summary>The family <c>model_type</c> names, or null when RerankKit does not know it.</summary>
    public ModelFamily? Family => ModelFamily.Find(ModelType);

    public string Architecture => Architectures.Count > 0 ? Architectures[0] : "";

    public bool IsSequenceClassification => Architecture.EndsWith("ForSequenceClassification", StringComparison.Ordinal);

    public static ModelConfig Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream);
            return Parse(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path} is not valid JSON: {e.Message}", e);
        }
        catch (ModelLoadException e)
        {
            throw new ModelLoadException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads the fields; a root that is not an object or a field of the wrong JSON type is a
    /// <see cref="ModelLoadException"/>.</summary>
    public static ModelConfig Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new ModelLoadException($"config.json must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}");
        try
        {
            return ParseObject(root);
        }
        // JsonElement's typed getters throw these when a field holds another JSON type or a fraction for an integer.
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ModelLoadException($"config.json has a field of the wrong type: {e.Message}", e);
        }
    }

    private static ModelConfig ParseObject(JsonElement root)
    {
        string modelType = Str(root, "model_type") ?? throw new ModelLoadException("config.json has no model_type");
        var architectures = root.TryGetProperty("architectures", out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Select(x => x.GetString() ?? "").ToArray()
            : [];
        int numLabels = root.TryGetProperty("num_labels", out var nl) && nl.ValueKind == JsonValueKind.Number
            ? nl.GetInt32()
            : root.TryGetProperty("id2label", out var id2) && id2.ValueKind == JsonValueKind.Object
                ? id2.EnumerateObject().Count()
                : 1;
        if (numLabels < 1)
            throw new ModelLoadException($"config.json has num_labels {numLabels}; a model needs at least one");
        var labels = Enumerable.Range(0, numLabels).Select(i => $"LABEL_{i}").ToArray();
        if (root.TryGetProperty("id2label", out var names) && names.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in names.EnumerateObject())
            {
                if (int.TryParse(entry.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id)
                    && id < numLabels && entry.Value.ValueKind == JsonValueKind.String)
                    labels[id] = entry.Value.GetString()!;
            }
        }
        string? autoMap = root.TryGetProperty("auto_map", out var am) && am.ValueKind == JsonValueKind.Object
            ? string.Join(", ", am.EnumerateObject().Select(x => x.Value.ValueKind == JsonValueKind.String ? x.Value.GetString() : x.Value.GetRawText()))
            : null;
        string? activation = null;
        if (root.TryGetProperty("sentence_transformers", out var st) && st.ValueKind == JsonValueKind.Object)
            activation = Str(st, "activation_fn");
        activation ??= Str(root, "sbert_ce_default_activation_function");

        return new ModelConfig
        {
            ModelType = modelType,
            Architectures = architectures,
            // DistilBERT calls it dim.
            HiddenSize = Int(root, "hidden_size", Int(root, "dim", 768)),
            NumHiddenLayers = Int(root, "num_hidden_layers", 12),
            NumAttentionHeads = Int(root, "num_attention_heads", 12),
            IntermediateSize = Int(root, "intermediate_size", 3072),
            VocabSize = Int(root, "vocab_size", 30522),
            MaxPositionEmbeddings = Int(root, "max_position_embeddings", 512),
            TypeVocabSize = Int(root, "type_vocab_size", 2),
            LayerNormEps = root.TryGetProperty("layer_norm_eps", out var eps) ? eps.GetDouble() : 1e-12,
            HiddenAct = Str(root, "hidden_act") ?? "gelu",
            PadTokenId = Int(root, "pad_token_id", 0),
            NumLabels = numLabels,
            Labels = labels,
            AutoMap = autoMap,
            ActivationFunction = activation,
        };
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int Int(JsonElement e, string name, int fallback) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : fallback;
}
