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

    /// <summary><c>sentence_transformers.activation_fn</c>, else the legacy <c>sbert_ce_default_activation_function</c>.</summary>
    public string? ActivationFunction { get; init; }

    /// <summary>XLM-R and RoBERTa count positions from <c>pad_token_id + 1</c>; BERT from 0.</summary>
    public bool IsRoberta => ModelType is "xlm-roberta" or "roberta" or "camembert";

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
        string? activation = null;
        if (root.TryGetProperty("sentence_transformers", out var st) && st.ValueKind == JsonValueKind.Object)
            activation = Str(st, "activation_fn");
        activation ??= Str(root, "sbert_ce_default_activation_function");

        return new ModelConfig
        {
            ModelType = modelType,
            Architectures = architectures,
            HiddenSize = Int(root, "hidden_size", 768),
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
            ActivationFunction = activation,
        };
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int Int(JsonElement e, string name, int fallback) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : fallback;
}
