using RerankKit.Batching;

namespace RerankKit.Serving;

/// <summary>Runs embedding requests one at a time (the model already uses every core) and refuses new ones once
/// <paramref name="maxWaiting"/> wait. <see cref="DisposeAsync"/> refuses new requests and waits for the admitted
/// ones to finish, so the host does not dispose the model under a running encode. Texts are embedded as documents
/// (<see cref="IBiEncoder.EncodeDocument"/>) unless the options name another prompt.</summary>
internal sealed class EmbeddingQueue(IBiEncoder embedder, int maxWaiting) : IAsyncDisposable
{
    private readonly SemaphoreSlim _model = new(1, 1);
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _admitted;
    private bool _closed;

    public async Task<float[][]> EncodeAsync(IReadOnlyList<string> texts, EncodeOptions options, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_admitted >= maxWaiting)
                throw new BatcherOverloadedException(maxWaiting, TimeSpan.FromSeconds(1));
            _admitted++;
        }
        try
        {
            await _model.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await embedder.EncodeDocumentAsync(texts, options, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _model.Release();
            }
        }
        finally
        {
            lock (_gate)
            {
                if (--_admitted == 0 && _closed)
                    _drained.TrySetResult();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _closed = true;
            if (_admitted == 0)
                _drained.TrySetResult();
        }
        return new ValueTask(_drained.Task);
    }
}
