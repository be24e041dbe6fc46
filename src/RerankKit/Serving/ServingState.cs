using System.Text.Json;
using System.Text.Json.Serialization;
using RerankKit.Batching;

namespace RerankKit.Serving;

/// <summary>What the endpoints share for the lifetime of one server.</summary>
internal sealed class ServingState(ServedModels models, RerankServerOptions options, CrossEncoderBatcher? batcher,
    ServerMetrics metrics, EmbeddingQueue? embeddings)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public ServedModels Models { get; } = models;

    public RerankServerOptions Options { get; } = options;

    public CrossEncoderBatcher? Batcher { get; } = batcher;

    public ServerMetrics Metrics { get; } = metrics;

    public EmbeddingQueue? Embeddings { get; } = embeddings;
}
