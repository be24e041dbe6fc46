using RerankKit.Models;

namespace RerankKit.Engine;

/// <summary>The native engine implements the BERT-style encoder only. Other families (DistilBERT, MPNet, ELECTRA,
/// DeBERTa, ModernBERT, Qwen3) run on ONNX Runtime, where the graph does the transformer's work; explanations and
/// training, which need the native engine, refuse them with one line.</summary>
internal static class NativeFamilies
{
    public static void Require(ModelConfig config)
    {
        if (config.Family is { Native: true })
            return;
        string arch = config.Architecture.Length > 0 ? config.Architecture : "this model";
        throw new ModelLoadException($"the native engine runs {ModelFamily.NativeNames} only; {arch} (model_type {config.ModelType}) " +
            "runs on the onnx engine, and explain, train and --engine native do not support it");
    }
}
