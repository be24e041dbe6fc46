namespace RerankKit.Training;

/// <summary>Reorders a shuffled epoch so that no text repeats inside a batch, as sentence-transformers'
/// <c>NoDuplicatesBatchSampler</c> does for in-batch-negative losses: a query or positive seen twice in one batch
/// would count as its own negative. Unlike that sampler the epoch keeps every example and its step count (so resuming
/// stays exact); only the last batches may repeat a text, when nothing else is left.</summary>
public static class NoDuplicatesBatches
{
    public static List<int> Arrange(IReadOnlyList<int> shuffled, int batchSize, Func<int, IEnumerable<string>> textsOf)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var remaining = new LinkedList<int>(shuffled);
        var arranged = new List<int>(shuffled.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (remaining.Count > 0)
        {
            seen.Clear();
            int size = 0;
            for (var node = remaining.First; node is not null && size < batchSize;)
            {
                var next = node.Next;
                var texts = textsOf(node.Value).ToList();
                if (!texts.Any(seen.Contains))
                {
                    seen.UnionWith(texts);
                    arranged.Add(node.Value);
                    remaining.Remove(node);
                    size++;
                }
                node = next;
            }
            for (; size < batchSize && remaining.Count > 0; size++)
            {
                arranged.Add(remaining.First!.Value);
                remaining.RemoveFirst();
            }
        }
        return arranged;
    }
}
