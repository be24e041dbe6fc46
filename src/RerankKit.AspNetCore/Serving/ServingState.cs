using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RerankKit.Batching;
using RerankKit.Caching;
using RerankKit.DependencyInjection;
using RerankKit.Diagnostics;
using RerankKit.Models;

namespace RerankKit.Serving;

/// <summary>What the endpoints of one <c>MapRerankKit</c> share. The models load on the first request (or at the
/// host's warm-up); the batcher and the embedding queue are drained when the host has stopped, before the container
/// disposes the models they run.</summary>
internal sealed class ServingState : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly RerankKitModels _models;
    private readonly string? _crossEncoder;
    private readonly string? _biEncoder;
    private readonly IScoreCache? _sharedCache;
    private readonly ILogger _logger;
    private readonly Lazy<Task> _ready;

    public ServingState(IServiceProvider services, RerankKitEndpointOptions options)
    {
        Options = options;
        _models = services.GetService<RerankKitModels>()
            ?? throw new InvalidOperationException("MapRerankKit needs models: call services.AddRerankKit().AddCrossEncoder(...) or .AddBiEncoder(...)");
        _crossEncoder = Pick(options.CrossEncoder, ModelKind.CrossEncoder);
        _biEncoder = Pick(options.BiEncoder, ModelKind.BiEncoder);
        if (_crossEncoder is null && _biEncoder is null)
            throw new InvalidOperationException("MapRerankKit needs a cross-encoder, a bi-encoder or both registered with AddRerankKit()");
        _sharedCache = services.GetService<IScoreCache>();
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("RerankKit.Serving");
        _ready = new Lazy<Task>(LoadAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public RerankKitEndpointOptions Options { get; }

    public EndpointModels Models { get; private set; } = new(null, null);

    public CrossEncoderBatcher? Batcher { get; private set; }

    public EmbeddingQueue? Embeddings { get; private set; }

    /// <summary>Whether scores are also shared through a cache registered in the services (Redis).</summary>
    public bool SharedCache => _sharedCache is not null;

    public Task ReadyAsync(CancellationToken cancellationToken) => _ready.Value.WaitAsync(cancellationToken);

    private string? Pick(string? name, ModelKind kind)
    {
        if (name is null)
            return _models.Registrations.FirstOrDefault(m => m.Kind == kind)?.Name;
        var registration = _models.Registrations.FirstOrDefault(m => m.Name == name)
            ?? throw new InvalidOperationException($"MapRerankKit: no RerankKit model named '{name}' is registered");
        return registration.Kind == kind ? name : throw new InvalidOperationException($"MapRerankKit: model '{name}' is a {registration.Kind}, not a {kind}");
    }

    private async Task LoadAsync()
    {
        var reranker = _crossEncoder is null ? null : await _models.GetCrossEncoderAsync(_crossEncoder).ConfigureAwait(false);
        var embedder = _biEncoder is null ? null : await _models.GetBiEncoderAsync(_biEncoder).ConfigureAwait(false);
        Models = new EndpointModels(reranker, embedder);
        IScoreCache? near = Options.ScoreCacheCapacity > 0 ? new LruScoreCache(Options.ScoreCacheCapacity) : null;
        IScoreCache? cache = (near, _sharedCache) switch
        {
            ({ } n, { } far) => new TieredScoreCache(n, far),
            _ => near ?? _sharedCache,
        };
        var batching = Options.Batching;
        if (batching.CountTokens is null && Models.RerankerTokenizer is { } tokenizer)
        {
            int maxLength = batching.MaxLength;
            batching = batching with { CountTokens = (q, d) => tokenizer.EncodePair(q, d, maxLength).Length };
        }
        Batcher = reranker is null ? null : new CrossEncoderBatcher(reranker, batching, cache, new TelemetryBatcherObserver(reranker.ModelName), _logger);
        Embeddings = embedder is null ? null : new EmbeddingQueue(embedder, Options.MaxQueuedEmbedRequests);
    }

    public async ValueTask DisposeAsync()
    {
        if (Batcher is not null)
            await Batcher.DisposeAsync().ConfigureAwait(false);
        if (Embeddings is not null)
            await Embeddings.DisposeAsync().ConfigureAwait(false);
    }
}
