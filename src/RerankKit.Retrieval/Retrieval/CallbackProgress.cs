namespace RerankKit.Retrieval;

/// <summary>Reports on the calling thread; <see cref="Progress{T}"/> would post to the thread pool and could report
/// after the work has finished.</summary>
internal sealed class CallbackProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
