namespace RerankKit.Retrieval;

/// <summary>Selects the k best scores of an array without sorting all of it. Equal scores keep the lower index
/// first, so results are deterministic.</summary>
internal static class TopK
{
    public static RetrievalHit[] Select(ReadOnlySpan<float> scores, int k, bool skipZero = false)
    {
        k = Math.Min(k, scores.Length);
        if (k <= 0)
            return [];
        // Min-heap of the current best k: the root is the weakest kept hit.
        var heap = new PriorityQueue<int, (float Score, int NegIndex)>(k + 1);
        for (int i = 0; i < scores.Length; i++)
        {
            float s = scores[i];
            if (skipZero && s == 0f)
                continue;
            if (heap.Count < k)
            {
                heap.Enqueue(i, (s, -i));
                continue;
            }
            heap.TryPeek(out _, out var weakest);
            if (s > weakest.Score)
                heap.EnqueueDequeue(i, (s, -i));
        }
        var hits = new RetrievalHit[heap.Count];
        for (int n = hits.Length - 1; n >= 0; n--)
        {
            heap.TryDequeue(out int index, out var priority);
            hits[n] = new RetrievalHit(index, priority.Score);
        }
        return hits;
    }
}
