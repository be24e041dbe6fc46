using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RerankKit.Models;

namespace RerankKit.DependencyInjection;

/// <summary>Loads each registered model once, on first use or at warm-up, and disposes them with the container.
/// A load that failed is not retried: every later use reports the same error, and so does the health check.</summary>
public sealed class RerankKitModels : IDisposable
{
    private readonly ModelCatalog _catalog;
    private readonly IOptionsMonitor<CrossEncoderOptions> _crossOptions;
    private readonly IOptionsMonitor<BiEncoderOptions> _biOptions;
    private readonly ILoggerFactory? _loggers;
    private readonly Dictionary<string, Lazy<Task<IDisposable>>> _loads = new(StringComparer.Ordinal);
    private bool _disposed;

    internal RerankKitModels(ModelCatalog catalog, IOptionsMonitor<CrossEncoderOptions> crossOptions,
        IOptionsMonitor<BiEncoderOptions> biOptions, ILoggerFactory? loggers = null)
    {
        _catalog = catalog;
        _crossOptions = crossOptions;
        _biOptions = biOptions;
        _loggers = loggers;
        foreach (var model in catalog.Models)
        {
            _loads[model.Name] = catalog.InstanceOf(model.Name) is { } instance
                ? new Lazy<Task<IDisposable>>(Task.FromResult(instance))
                : new Lazy<Task<IDisposable>>(() => LoadAsync(model), LazyThreadSafetyMode.ExecutionAndPublication);
        }
    }

    public IReadOnlyList<ModelRegistration> Registrations => _catalog.Models;

    /// <summary>Whether the model has finished loading (false while loading, never started, or failed).</summary>
    public bool IsLoaded(string name) => Load(name) is { IsValueCreated: true, Value.IsCompletedSuccessfully: true };

    /// <summary>Why the model failed to load, or null.</summary>
    public Exception? LoadError(string name) =>
        Load(name) is { IsValueCreated: true, Value.IsFaulted: true } lazy ? lazy.Value.Exception!.GetBaseException() : null;

    public ICrossEncoder GetCrossEncoder(string name) => GetCrossEncoderAsync(name).GetAwaiter().GetResult();

    public IBiEncoder GetBiEncoder(string name) => GetBiEncoderAsync(name).GetAwaiter().GetResult();

    public async Task<ICrossEncoder> GetCrossEncoderAsync(string name, CancellationToken cancellationToken = default) =>
        (ICrossEncoder)await GetAsync(name, ModelKind.CrossEncoder, cancellationToken).ConfigureAwait(false);

    public async Task<IBiEncoder> GetBiEncoderAsync(string name, CancellationToken cancellationToken = default) =>
        (IBiEncoder)await GetAsync(name, ModelKind.BiEncoder, cancellationToken).ConfigureAwait(false);

    /// <summary>Loads every registered model (what warm-up does).</summary>
    public Task LoadAllAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_catalog.Models.Select(m => GetAsync(m.Name, m.Kind, cancellationToken)));

    private async Task<IDisposable> GetAsync(string name, ModelKind kind, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var registration = _catalog.Models.FirstOrDefault(m => m.Name == name)
            ?? throw new InvalidOperationException($"no RerankKit model named '{name}' is registered");
        if (registration.Kind != kind)
            throw new InvalidOperationException($"RerankKit model '{name}' is a {registration.Kind}, not a {kind}");
        // The load itself is shared and not cancelled by one caller giving up; the caller's wait is.
        return await _loads[name].Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private Lazy<Task<IDisposable>>? Load(string name) => _loads.GetValueOrDefault(name);

    private async Task<IDisposable> LoadAsync(ModelRegistration model)
    {
        var logger = _loggers?.CreateLogger("RerankKit.Models");
        if (model.Kind == ModelKind.CrossEncoder)
        {
            var options = _crossOptions.Get(model.Name);
            options.Logger ??= logger;
            return await CrossEncoder.LoadAsync(model.ModelNameOrPath, options).ConfigureAwait(false);
        }
        var biOptions = _biOptions.Get(model.Name);
        biOptions.Logger ??= logger;
        return await BiEncoder.LoadAsync(model.ModelNameOrPath, biOptions).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var (name, lazy) in _loads)
        {
            // Instances the application registered are the application's to dispose.
            if (lazy is { IsValueCreated: true, Value.IsCompletedSuccessfully: true } && _catalog.InstanceOf(name) is null)
                lazy.Value.Result.Dispose();
        }
    }
}
