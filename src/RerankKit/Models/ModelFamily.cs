namespace RerankKit.Models;

/// <summary>A transformer family RerankKit runs, keyed by <c>config.json</c>'s <c>model_type</c>, with the conventions
/// the ONNX path must follow outside the graph: how positions are counted (which caps the max length), whether the
/// model is a decoder (left padding, as the Qwen3 model cards prescribe) and whether the native engine has it.</summary>
public sealed record ModelFamily(string ModelType, string Name, bool IsDecoder, bool Native, bool RobertaPositions)
{
    private static readonly ModelFamily[] Known =
    [
        new("bert", "BERT", false, true, false),
        new("xlm-roberta", "XLM-RoBERTa", false, true, true),
        new("roberta", "RoBERTa", false, true, true),
        new("camembert", "CamemBERT", false, true, true),
        new("distilbert", "DistilBERT", false, false, false),
        new("mpnet", "MPNet", false, false, true),
        new("electra", "ELECTRA", false, false, false),
        new("deberta-v2", "DeBERTa-v2/v3", false, false, false),
        new("modernbert", "ModernBERT", false, false, false),
        new("qwen3", "Qwen3", true, false, false),
    ];

    /// <summary>The family of <paramref name="modelType"/>, or null when RerankKit does not know it.</summary>
    public static ModelFamily? Find(string modelType) => Known.FirstOrDefault(f => f.ModelType == modelType);

    public static IReadOnlyList<ModelFamily> All => Known;

    /// <summary>The families the native C# engine runs (the rest run on ONNX Runtime only).</summary>
    public static string NativeNames => string.Join(", ", Known.Where(f => f.Native).Select(f => f.Name));
}
