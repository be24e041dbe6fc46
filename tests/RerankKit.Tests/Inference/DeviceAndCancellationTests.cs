using RerankKit.Engine;
using RerankKit.Inference;
using RerankKit.Models;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Inference;

/// <summary>Devices never fall back silently; a cancelled token stops a running ONNX Runtime call.</summary>
public class DeviceAndCancellationTests
{
    [Fact]
    public void Cuda_fails_with_one_clear_message_when_onnx_runtime_has_no_cuda_provider()
    {
        var e = Assert.Throws<ModelLoadException>(() =>
            new CrossEncoder(SharedData.Fixture("tiny-bert-reranker"), new CrossEncoderOptions { Device = "cuda" }));
        Assert.Contains("device cuda", e.Message);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu.Linux", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void The_native_engine_refuses_cuda()
    {
        NativeEngine.Register();
        var e = Assert.Throws<ModelLoadException>(() =>
            new BiEncoder(SharedData.Fixture("tiny-bert-embedder"), new BiEncoderOptions { Engine = "native", Device = "cuda:0" }));
        Assert.Contains("CPU only", e.Message);
    }

    [Fact]
    public void Session_options_hook_sees_rerankkit_settings_and_can_change_them()
    {
        int? threadsSeen = null;
        using var model = new CrossEncoder(SharedData.Fixture("tiny-bert-reranker"), new CrossEncoderOptions
        {
            Threads = 1,
            ConfigureSessionOptions = o => threadsSeen = o.IntraOpNumThreads,
        });
        Assert.Equal(1, threadsSeen);
    }

    [Fact]
    public async Task LoadAsync_gives_the_same_scores_as_the_constructor()
    {
        string folder = SharedData.Fixture("tiny-bert-reranker");
        using var sync = new CrossEncoder(folder);
        using var loaded = await CrossEncoder.LoadAsync(folder);
        (string, string)[] pairs = [("a query", "a document"), ("another", "text")];
        Assert.Equal(sync.Predict(pairs), loaded.Predict(pairs));
    }

    [Fact]
    public async Task LoadAsync_of_a_cancelled_token_does_not_load()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BiEncoder.LoadAsync(SharedData.Fixture("tiny-bert-embedder"), cancellationToken: cts.Token));
    }

    [Fact]
    public async Task Cancelling_terminates_a_running_onnx_call()
    {
        string folder = SharedData.Fixture("minilm-l6-shaped-reranker");
        using var model = new CrossEncoder(folder, new CrossEncoderOptions { Threads = 1 });
        // One batch of 64 long pairs takes seconds on one thread: long enough to cancel inside the run.
        string document = string.Join(' ', Enumerable.Repeat("transformer attention layers compute scores", 60));
        var pairs = Enumerable.Range(0, 64).Select(i => ($"query {i}", document)).ToArray();
        using var cts = new CancellationTokenSource();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var task = model.PredictAsync(pairs, new PredictOptions { BatchSize = 64 }, cts.Token);
        await Task.Delay(300);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        var cancelledAfter = started.Elapsed;

        started.Restart();
        model.Predict(pairs, new PredictOptions { BatchSize = 64 });
        var fullRun = started.Elapsed;
        // Identity, not a timing budget: the cancelled call ended before a whole uncancelled run could have.
        Assert.True(cancelledAfter < fullRun, $"cancelled after {cancelledAfter.TotalMilliseconds} ms, a full run takes {fullRun.TotalMilliseconds} ms");
    }
}
