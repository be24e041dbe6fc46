using RerankKit.Engine;
using RerankKit.IO;
using RerankKit.Models;
using RerankKit.Onnx;

namespace RerankKit.Export;

/// <summary>What <see cref="OnnxExporter"/> wrote.</summary>
public sealed record OnnxExportResult(string Path, string OutputName, IReadOnlyList<string> InputNames, int Layers, long Parameters);

/// <summary>Writes a Hugging Face BERT or XLM-RoBERTa folder (config.json + model.safetensors) as an ONNX model with
/// the inputs and outputs of Optimum's export: <c>input_ids</c>, <c>attention_mask</c>, [<c>token_type_ids</c>]
/// int64 [batch, sequence]; output <c>logits</c> [batch, num_labels] for sequence classifiers, else
/// <c>last_hidden_state</c> [batch, sequence, hidden]. Opset 17 standard operators only.</summary>
public static class OnnxExporter
{
    private const long IrVersion = 8;
    private const long Opset = 17;

    public static string DefaultOutputPath(string modelDirectory) => Path.Combine(modelDirectory, "onnx", "model.onnx");

    public static OnnxExportResult Export(string modelDirectory, string? outputPath = null)
    {
        string output = Path.GetFullPath(outputPath ?? DefaultOutputPath(modelDirectory));
        // An ONNX-only model is read from its export; replacing that file would discard the original graph.
        if (NativeWeights.Find(modelDirectory) is { } weights && Path.GetFullPath(weights) == output)
            throw new ArgumentException($"{modelDirectory} has no model.safetensors and its weights come from {output}; choose another --out");
        return Export(TransformerModel.Load(modelDirectory), output);
    }

    /// <summary>Exports a model held in memory, e.g. one just fine-tuned.</summary>
    public static OnnxExportResult Export(TransformerModel model, string outputPath)
    {
        var config = model.Config;
        var weights = model.Parameters.ToDictionary(p => p.Name, p => p.ToTensor(), StringComparer.Ordinal);
        var graph = new EncoderGraph(config, weights);
        byte[] graphBytes = graph.Build();
        AtomicFile.Write(outputPath, stream =>
            OnnxProto.WriteModel(stream, graphBytes, IrVersion, Opset, typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0"));
        return new OnnxExportResult(outputPath, graph.OutputName, graph.InputNames, config.NumHiddenLayers, weights.Values.Sum(t => (long)t.Data.Length));
    }
}
