namespace RerankKit.Tests.Batching;

/// <summary>A cross-encoder whose first <see cref="Failures"/> batches throw, then scores as
/// <see cref="FakeCrossEncoder"/> does.</summary>
internal sealed class ThrowingCrossEncoder(int failures) : ICrossEncoder
{
    private readonly FakeCrossEncoder _scorer = new();
    private int _failures = failures;

    public int Failures => _failures;

    public string ModelName => _scorer.ModelName;

    public ScoreActivation DefaultActivation => _scorer.DefaultActivation;

    public float[] Predict(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default) =>
        PredictAsync(pairs, options, cancellationToken).GetAwaiter().GetResult();

    public Task<float[]> PredictAsync(IReadOnlyList<(string Query, string Document)> pairs, PredictOptions? options = null, CancellationToken cancellationToken = default) =>
        Interlocked.Decrement(ref _failures) >= 0
            ? throw new InvalidOperationException("the model failed")
            : _scorer.PredictAsync(pairs, options, cancellationToken);

    public void Dispose() => _scorer.Dispose();
}
