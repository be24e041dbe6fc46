using System.Collections.Concurrent;

namespace RerankKit.Engine;

/// <summary>Reuses layer activation buffers across forward passes of one model. At 8 x 256 tokens a MiniLM layer's
/// activations are about 75 MB; allocating them on every training step put a gigabyte a step on the large-object
/// heap and spent the difference in gen-2 collections and page faults. Buffers too small for a pass are dropped and
/// replaced; at most <c>capacity</c> are kept, so the memory held is bounded by the largest passes seen. The same
/// holds for the loose [N, H] buffers of a pass (embedding sums, hidden states between layers): on this machine's VMs
/// the first touch of a fresh 3 MB array costs about 15 ms in page faults, more than the LayerNorm that writes it.</summary>
internal sealed class ActivationPool(int capacity)
{
    private readonly ConcurrentBag<LayerActivations> _free = [];
    private readonly ConcurrentBag<float[]> _buffers = [];

    public LayerActivations Rent(int rows, int hidden, int intermediate, int probs)
    {
        while (_free.TryTake(out var acts))
            if (acts.Fits(rows, hidden, intermediate, probs))
                return acts;
        return new LayerActivations(rows, hidden, intermediate, probs);
    }

    public void Return(LayerActivations acts)
    {
        acts.Input = acts.Output = [];
        acts.Probs = null;
        if (_free.Count < capacity)
            _free.Add(acts);
    }

    /// <summary>A buffer of at least <paramref name="length"/> values, not zeroed.</summary>
    public float[] RentBuffer(int length)
    {
        while (_buffers.TryTake(out var buffer))
            if (buffer.Length >= length)
                return buffer;
        return GC.AllocateUninitializedArray<float>(length);
    }

    public void ReturnBuffer(float[] buffer)
    {
        if (_buffers.Count < capacity)
            _buffers.Add(buffer);
    }
}
