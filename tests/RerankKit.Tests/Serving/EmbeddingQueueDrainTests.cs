using Microsoft.Extensions.DependencyInjection;
using RerankKit.DependencyInjection;
using RerankKit.Serving;

namespace RerankKit.Tests.Serving;

/// <summary>Shutdown waits for the embedding running on the model before the container may dispose it, and
/// refuses embeddings that arrive afterwards.</summary>
public sealed class EmbeddingQueueDrainTests
{
    [Fact]
    public async Task Disposing_the_serving_state_waits_for_the_running_embedding_and_refuses_new_ones()
    {
        var embedder = new GatedBiEncoder();
        var services = new ServiceCollection().AddLogging();
        services.AddRerankKit().AddBiEncoder("embedder", embedder);
        await using var provider = services.BuildServiceProvider();
        var state = new ServingState(provider, new RerankKitEndpointOptions());
        await state.ReadyAsync(CancellationToken.None);

        var running = state.Embeddings!.EncodeAsync(["hello world"], new EncodeOptions(), CancellationToken.None);
        await embedder.Started.Task;
        var disposing = state.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted, "shutdown finished while an embedding was still running on the model");

        embedder.Release.SetResult();
        Assert.Equal(FakeBiEncoder.Normalize(FakeBiEncoder.Raw("hello world")), (await running)[0]);
        await disposing;
        await Assert.ThrowsAsync<ObjectDisposedException>(() => state.Embeddings.EncodeAsync(["late"], new EncodeOptions(), CancellationToken.None));
    }

    /// <summary>Embeds like <see cref="FakeBiEncoder"/> once the test releases it.</summary>
    private sealed class GatedBiEncoder : IBiEncoder
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string ModelName => "gated-embedder";

        public int Dimension => 3;

        public float[][] Encode(IReadOnlyList<string> texts, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
            texts.Select(t => FakeBiEncoder.Normalize(FakeBiEncoder.Raw(t))).ToArray();

        public async Task<float[][]> EncodeAsync(IReadOnlyList<string> texts, EncodeOptions? options = null, CancellationToken cancellationToken = default)
        {
            Started.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            return Encode(texts, options, cancellationToken);
        }

        public float[][] EncodeQuery(IReadOnlyList<string> queries, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
            Encode(queries, options, cancellationToken);

        public Task<float[][]> EncodeQueryAsync(IReadOnlyList<string> queries, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
            EncodeAsync(queries, options, cancellationToken);

        public float[][] EncodeDocument(IReadOnlyList<string> documents, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
            Encode(documents, options, cancellationToken);

        public Task<float[][]> EncodeDocumentAsync(IReadOnlyList<string> documents, EncodeOptions? options = null, CancellationToken cancellationToken = default) =>
            EncodeAsync(documents, options, cancellationToken);

        public void Dispose()
        {
        }
    }
}
