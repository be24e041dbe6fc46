using System.Text.Json;
using RerankKit.Hub;
using RerankKit.LateInteraction;
using RerankKit.Models;
using RerankKit.Seq2Seq;

namespace RerankKit;

/// <summary>Loads the reranker a model folder (or hub id) holds, whatever its kind, behind <see cref="IReranker"/>:
/// <c>T5ForConditionalGeneration</c> is a T5 reranker, a PyLate layout (MaxSim config, Dense module) is ColBERT,
/// anything else loads as a cross-encoder (which names what it does not support).</summary>
public static class Rerankers
{
    public static async Task<IReranker> LoadAsync(string modelNameOrPath, RerankerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RerankerOptions();
        // The config and module files alone tell the kind; each kind then fetches the weights it runs.
        string folder = await ModelLocator.ResolveAsync(modelNameOrPath, ModelFiles.ForTokenizer(), options.Hub, options.Logger, cancellationToken)
            .ConfigureAwait(false);
        switch (KindOf(folder))
        {
            case RerankerKind.T5:
                return await Seq2SeqReranker.LoadAsync(modelNameOrPath, new Seq2SeqRerankerOptions
                {
                    Scoring = options.Scoring, DuoTopK = options.DuoTopK, BatchSize = options.BatchSize,
                    MaxLength = options.MaxLength, Device = options.Device, Threads = options.Threads,
                    ConfigureSessionOptions = options.ConfigureSessionOptions, Hub = options.Hub, Logger = options.Logger,
                }, cancellationToken).ConfigureAwait(false);
            case RerankerKind.ColBert:
                return await ColBertReranker.LoadAsync(modelNameOrPath, new ColBertOptions
                {
                    BatchSize = options.BatchSize, OnnxFile = options.OnnxFile, Device = options.Device, Threads = options.Threads,
                    ConfigureSessionOptions = options.ConfigureSessionOptions, Hub = options.Hub, Logger = options.Logger,
                }, cancellationToken).ConfigureAwait(false);
            default:
                var encoder = await CrossEncoder.LoadAsync(modelNameOrPath, new CrossEncoderOptions
                {
                    ActivationFn = options.ActivationFn, LongDocuments = options.LongDocuments, MaxLength = options.MaxLength,
                    Engine = options.Engine, Device = options.Device, OnnxFile = options.OnnxFile, Threads = options.Threads,
                    ConfigureSessionOptions = options.ConfigureSessionOptions, Hub = options.Hub, Logger = options.Logger,
                }, cancellationToken).ConfigureAwait(false);
                return new CrossEncoderReranker(encoder, new PredictOptions { BatchSize = options.BatchSize });
        }
    }

    /// <summary>The kind of reranker in a local folder, from its config.json and sentence-transformers files.</summary>
    public static RerankerKind KindOf(string folder)
    {
        string configPath = Path.Combine(folder, "config.json");
        if (!File.Exists(configPath))
            throw new ModelLoadException($"{folder} has no config.json, so it is not a Hugging Face model folder");
        using (var doc = ModelJson.Read(configPath))
        {
            var root = doc.RootElement;
            bool t5 = root.ValueKind == JsonValueKind.Object
                && ((root.TryGetProperty("model_type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() is "t5" or "mt5")
                    || (root.TryGetProperty("architectures", out var a) && a.ValueKind == JsonValueKind.Array
                        && a.EnumerateArray().Any(x => x.ValueKind == JsonValueKind.String && x.GetString() is "T5ForConditionalGeneration" or "MT5ForConditionalGeneration")));
            if (t5)
                return RerankerKind.T5;
        }
        return ColBertSettings.IsColBert(folder) ? RerankerKind.ColBert : RerankerKind.CrossEncoder;
    }
}
