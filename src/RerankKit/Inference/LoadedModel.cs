using Microsoft.Extensions.Logging;
using RerankKit.Hub;
using RerankKit.Models;
using RerankKit.Tokenization;

namespace RerankKit.Inference;

/// <summary>A model argument resolved to a folder, with its tokenizer and a backend on the chosen engine.</summary>
internal sealed record LoadedModel(ModelFolder Folder, ITextTokenizer Tokenizer, IEncoderBackend Backend)
{
    public static LoadedModel Load(string modelNameOrPath, ModelKind expected, int? maxLength, EngineKind engine, string? onnxFile, int? threads,
        HubOptions hub, ILogger? logger)
    {
        string weights = engine == EngineKind.Onnx ? onnxFile ?? BackendFactory.DefaultOnnxFile : "model.safetensors";
        string path = ModelLocator.Resolve(modelNameOrPath, ModelFiles.For(weights), hub, logger);
        var folder = ModelFolder.Open(path, maxLength);
        if (folder.Kind != expected)
        {
            string use = folder.Kind == ModelKind.CrossEncoder ? "a cross-encoder" : "a bi-encoder";
            throw new ModelLoadException($"{modelNameOrPath} is {use} ({folder.Config.Architecture}), not {(expected == ModelKind.CrossEncoder ? "a cross-encoder" : "a bi-encoder")}");
        }
        var tokenizer = TokenizerFactory.FromFolder(folder.Path);
        var backend = BackendFactory.Create(folder, engine, onnxFile, threads);
        return new LoadedModel(folder, tokenizer, backend);
    }
}
