using RerankKit.Tokenization;
using System.Collections.Concurrent;

namespace RerankKit.Tests.Batching;

/// <summary>A cross-encoder whose logit is a hand-checkable function of the pair: words of the query found in the
/// document minus a tenth of the document's word count. It records every batch, and can hold the batch it is
/// running until <see cref="Release"/> so tests control what queues up behind it.</summary>
internal sealed class FakeCrossEncoder(string modelName = "fake-reranker") : ICrossEncoder, ITokenizedModel
{
    private readonly SemaphoreSlim _hold = new(0);

    public string ModelName { get; } = modelName;

    public ITextTokenizer Tokenizer { get; } = new Serving.FakeTokenizer();

    public ScoreActivation DefaultActivation => ScoreActivation.Sigmoid;

    public ConcurrentQueue<(string Query, string Document)[]> Batches { get; } = new();

    /// <summary>While true, each batch waits for one <see cref="Release"/> before it is scored.</summary>
    public bool Holding { get; set; }

    /// <summary>Set when a batch starts waiting for release.</summary>
    public SemaphoreSlim Waiting { get; } = new(0);

    public int ScoredPairs => Batches.Sum(b => b.Length);

    public void Release(int batches = 1) => _hold.Release(batches);

    public static float Logit(string query, string document)
    {
        var words = document.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var set = words.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return query.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(set.Contains) - 0.1f * words.Length;
    }

    public float[] Predict(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default) =>
        PredictAsync(pairs, options, cancellationToken).GetAwaiter().GetResult();

    public async Task<float[]> PredictAsync(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (Holding)
        {
            Waiting.Release();
            await _hold.WaitAsync(cancellationToken);
        }
        cancellationToken.ThrowIfCancellationRequested();
        Batches.Enqueue(pairs.ToArray());
        var activation = options?.ActivationFn ?? DefaultActivation;
        return pairs.Select(p => activation == ScoreActivation.Sigmoid ? 1f / (1f + MathF.Exp(-Logit(p.Query, p.Document))) : Logit(p.Query, p.Document)).ToArray();
    }

    public void Dispose() => _hold.Dispose();
}
