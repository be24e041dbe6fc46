using RerankKit.Inference;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Inference;

/// <summary>BiEncoder's batched encoding path (whole-input sort, in-place read, overlapped padding) gives every text
/// the embedding it gets alone, in input order; the pipeline under it stops on cancellation and reports failures.</summary>
public class EncodePathTests
{
    private const float Tolerance = 1e-6f;

    /// <summary>Texts of 1 to 90 words in shuffled length order, so sorting moves nearly every text to another batch.</summary>
    private static string[] MixedLengthTexts()
    {
        string[] words = ["cells", "protein", "the", "expression", "of", "tumour", "growth", "in", "mice", "receptor", "signalling", "blood"];
        var random = new Random(15);
        return Enumerable.Range(0, 37)
            .Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(1, 91)).Select(_ => words[random.Next(words.Length)])))
            .ToArray();
    }

    [Theory]
    [InlineData((int)EncodeSteps.All)]
    [InlineData((int)(EncodeSteps.All & ~EncodeSteps.Overlap))]
    [InlineData((int)(EncodeSteps.All & ~EncodeSteps.ReadInPlace))]
    [InlineData((int)(EncodeSteps.All & ~EncodeSteps.SortWhole))]
    [InlineData((int)EncodeSteps.None)]
    public void EveryTextGetsItsOwnEmbeddingInInputOrder(int stepFlags)
    {
        var steps = (EncodeSteps)stepFlags;
        using var model = new BiEncoder(SharedData.Fixture("tiny-bert-embedder"), new BiEncoderOptions { Threads = 1 });
        var texts = MixedLengthTexts();
        Assert.True(texts.Select(t => model.Tokenize(t).Length).Distinct().Count() > 20);
        var batched = model.EncodeWith(texts, new EncodeOptions { BatchSize = 4 }, steps, CancellationToken.None);
        Assert.Equal(texts.Length, batched.Length);
        for (int i = 0; i < texts.Length; i++)
        {
            var alone = model.EncodeWith([texts[i]], new EncodeOptions { BatchSize = 1 }, EncodeSteps.None, CancellationToken.None)[0];
            Assert.Equal(alone.Length, batched[i].Length);
            float worst = alone.Zip(batched[i]).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(worst <= Tolerance, $"text {i}: {worst} off its own embedding");
        }
    }

    [Fact]
    public void ACancelledEncodeThrowsAndLeavesNoWorkBehind()
    {
        using var model = new BiEncoder(SharedData.Fixture("tiny-bert-embedder"), new BiEncoderOptions { Threads = 1 });
        using var cancel = new CancellationTokenSource();
        int seen = 0;
        var progress = new SynchronousProgress(_ =>
        {
            if (++seen == 2)
                cancel.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            model.Encode(MixedLengthTexts(), new EncodeOptions { BatchSize = 4, Progress = progress }, cancel.Token));
        Assert.Equal(2, seen);
    }

    [Fact]
    public void ThePipelinePreparesAtMostCapacityAheadAndStopsWhenTheConsumerIsCancelled()
    {
        using var cancel = new CancellationTokenSource();
        int prepared = 0;
        var consumed = new List<int>();
        Assert.ThrowsAny<OperationCanceledException>(() => PrefetchPipeline.Run(Enumerable.Range(0, 100).ToArray(),
            i =>
            {
                Interlocked.Increment(ref prepared);
                return i * 10;
            },
            (i, p) =>
            {
                Assert.Equal(i * 10, p);
                consumed.Add(i);
                if (i == 3)
                {
                    Thread.Sleep(50);
                    cancel.Cancel();
                }
            }, capacity: 2, cancel.Token));
        Assert.Equal([0, 1, 2, 3], consumed);
        // Four taken, two queued, one blocked in Add: nothing beyond the bound was prepared.
        Assert.InRange(Volatile.Read(ref prepared), 4, 7);
    }

    [Fact]
    public void AProducerFailureReachesTheCaller()
    {
        var e = Assert.Throws<InvalidOperationException>(() => PrefetchPipeline.Run(Enumerable.Range(0, 10).ToArray(),
            i => i == 5 ? throw new InvalidOperationException("bad item 5") : i,
            (_, _) => { }, capacity: 2, CancellationToken.None));
        Assert.Equal("bad item 5", e.Message);
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
