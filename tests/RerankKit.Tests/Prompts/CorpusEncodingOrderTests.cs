using System.Diagnostics;
using RerankKit.Diagnostics;
using RerankKit.Inference;
using RerankKit.Retrieval;
using RerankKit.Tests.Infrastructure;
using RerankKit.Tests.Retrieval;

namespace RerankKit.Tests.Prompts;

public class CorpusEncodingOrderTests
{
    [Fact]
    public void TheIndexSortsTheWholeCorpusByTokenLengthBeforeBatchingAndReportsProgressPerBatch()
    {
        using var model = new BiEncoder(SharedData.Fixture("tiny-bert-embedder"), new BiEncoderOptions { Threads = 1 });
        // Short and long documents interleaved: sorting slice by slice pads every batch to a long document.
        var texts = Enumerable.Range(0, 200)
            .Select(i => i % 2 == 0 ? $"short {i}" : string.Join(' ', Enumerable.Repeat($"a longer document number {i}", 1 + i % 7)))
            .ToArray();
        var inputs = texts.Select(t => model.Tokenize(t)).ToArray();
        long optimal = TokenBatcher.Plan(inputs, 4).Sum(batch => (long)batch.Length * batch.Max(i => inputs[i].Length));

        long padded = 0;
        var trace = default(ActivityTraceId);
        var progress = new List<IndexProgress>();
        using (var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == RerankKitTelemetry.ActivitySource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                // Only this test's trace: other tests run in parallel under the same source.
                if (a.OperationName == "rerankkit.run" && a.TraceId == trace)
                    Interlocked.Add(ref padded, (long)(int)a.GetTagItem("rerankkit.batch_size")! * (int)a.GetTagItem("rerankkit.sequence_length")!);
            },
        })
        {
            ActivitySource.AddActivityListener(listener);
            // A parent started by hand gives this build's activities a trace id of their own.
            using var run = new Activity("rerankkit.test.build").Start();
            trace = run.TraceId;
            var options = new SearchIndexOptions { EncodeOptions = new EncodeOptions { BatchSize = 4 } };
            using var index = SearchIndex.Build(SampleDocs.Make(texts), model, options, new CallbackProgress<IndexProgress>(progress.Add));
        }
        Assert.True(optimal > 0);
        Assert.Equal(optimal, padded);
        var embed = progress.Where(p => p.Phase == "embed").Select(p => p.Done).Distinct().ToArray();
        Assert.Equal(Enumerable.Range(0, 51).Select(i => i * 4), embed);
    }
}
