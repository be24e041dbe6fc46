using System.Collections.Concurrent;

namespace RerankKit.Inference;

/// <summary>Prepares item i+1 on a worker thread while the caller consumes item i (a producer and a consumer joined by
/// a bounded queue), so a batch's padding overlaps the previous batch's inference instead of idling the session.</summary>
internal static class PrefetchPipeline
{
    /// <param name="capacity">Prepared items waiting at most: bounds the memory held ahead of the consumer.</param>
    public static void Run<TItem, TPrepared>(IReadOnlyList<TItem> items, Func<TItem, TPrepared> prepare,
        Action<TItem, TPrepared> consume, int capacity, CancellationToken cancellationToken)
    {
        using var queue = new BlockingCollection<(TItem Item, TPrepared Prepared)>(capacity);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() =>
        {
            try
            {
                foreach (var item in items)
                    queue.Add((item, prepare(item)), stop.Token);
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, CancellationToken.None);
        bool consumed = false;
        try
        {
            foreach (var (item, prepared) in queue.GetConsumingEnumerable(cancellationToken))
                consume(item, prepared);
            consumed = true;
        }
        finally
        {
            if (!consumed)
            {
                // The consumer failed or was cancelled: stop the producer and wait for it, so no work outlives the call;
                // its own cancellation is expected and the consumer's exception is the one to report.
                stop.Cancel();
                try
                {
                    producer.Wait(CancellationToken.None);
                }
                catch (AggregateException)
                {
                }
            }
        }
        producer.GetAwaiter().GetResult();
    }
}
