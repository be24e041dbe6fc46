using RerankKit.Retrieval;
using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary>Progress bars on stderr for long work, one per phase; nothing is drawn when stderr is redirected, so
/// stdout (tables or JSON) stays clean either way.</summary>
internal static class CliProgress
{
    public static T Run<T>(Func<IProgress<IndexProgress>?, T> work)
    {
        if (Console.IsErrorRedirected)
            return work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Progress().AutoClear(true).HideCompleted(false).Start(context =>
        {
            var tasks = new Dictionary<string, ProgressTask>();
            var progress = new SynchronousProgress(p =>
            {
                lock (tasks)
                {
                    if (!tasks.TryGetValue(p.Phase, out var task))
                        tasks[p.Phase] = task = context.AddTask(p.Phase, maxValue: Math.Max(1, p.Total));
                    task.Value = p.Done;
                }
            });
            result = work(progress);
        });
        return result;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and lag behind).</summary>
    private sealed class SynchronousProgress(Action<IndexProgress> report) : IProgress<IndexProgress>
    {
        public void Report(IndexProgress value) => report(value);
    }
}
