using RerankKit.Batching;

namespace RerankKit.Serving;

/// <summary>Runs embedding requests one at a time (the model already uses every core) and refuses new ones once
/// <paramref name="maxWaiting"/> wait.</summary>
internal sealed class EmbeddingQueue(IBiEncoder embedder, int maxWaiting)
{
    private readonly SemaphoreSlim _model = new(1, 1);
    private int _waiting;

    public async Task<float[][]> EncodeAsync(IReadOnlyList<string> texts, bool? normalize, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _waiting) > maxWaiting)
        {
            Interlocked.Decrement(ref _waiting);
            throw new BatcherOverloadedException(maxWaiting, TimeSpan.FromSeconds(1));
        }
        try
        {
            await _model.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await embedder.EncodeAsync(texts, new EncodeOptions { NormalizeEmbeddings = normalize }, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _model.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }
}
