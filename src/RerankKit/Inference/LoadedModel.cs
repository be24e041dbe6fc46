using Microsoft.Extensions.Logging;
using RerankKit.Diagnostics;
using RerankKit.Hub;
using RerankKit.Models;
using RerankKit.Tokenization;

namespace RerankKit.Inference;

/// <summary>A model argument resolved to a folder, with its tokenizer and a backend on the chosen engine.</summary>
internal sealed record LoadedModel(ModelFolder Folder, ITextTokenizer Tokenizer, IEncoderBackend Backend)
{
    public static async Task<LoadedModel> LoadAsync(string modelNameOrPath, ModelKind expected, int? maxLength, string engine,
        BackendSettings settings, HubOptions hub, ILogger? logger, CancellationToken cancellationToken)
    {
        using var activity = RerankKitTelemetry.ActivitySource.StartActivity("rerankkit.load");
        activity?.SetTag("rerankkit.model", modelNameOrPath);
        activity?.SetTag("rerankkit.engine", engine);
        var factory = EncoderBackends.Get(engine);
        string path = await ModelLocator.ResolveAsync(modelNameOrPath, ModelFiles.For(factory.WeightsFiles(settings)), hub, logger, cancellationToken)
            .ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var folder = ModelFolder.Open(path, maxLength);
        if (folder.Kind != expected)
        {
            string use = folder.Kind == ModelKind.CrossEncoder ? "a cross-encoder" : "a bi-encoder";
            throw new ModelLoadException($"{modelNameOrPath} is {use} ({folder.Config.Architecture}), not {(expected == ModelKind.CrossEncoder ? "a cross-encoder" : "a bi-encoder")}");
        }
        // The engine first: one that cannot run this family says so before anything else about the folder.
        var backend = factory.Create(folder, settings);
        try
        {
            return new LoadedModel(folder, TokenizerFactory.FromFolder(folder.Path), backend);
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }
}
