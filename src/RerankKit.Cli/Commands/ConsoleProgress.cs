using Spectre.Console;

namespace RerankKit.Cli.Commands;

/// <summary>Runs work under a Spectre.Console progress display on stderr, one bar per named stage;
/// silent when stderr is redirected or JSON output is requested, so stdout stays clean.</summary>
internal static class ConsoleProgress
{
    public static T Run<T>(bool enabled, Func<IProgress<(string Stage, double Fraction)>?, T> work)
    {
        if (!enabled || Console.IsErrorRedirected)
            return work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => work(new StageProgress(context)));
    }

    /// <summary>As <see cref="Run{T}"/> with bars that count items (done of total) and show their rate.</summary>
    public static T RunCounted<T>(bool enabled, Func<IProgress<(string Stage, int Done, int Total)>?, T> work)
    {
        if (!enabled || Console.IsErrorRedirected)
            return work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RateColumn(), new ElapsedTimeColumn())
            .Start(context => work(new CountedProgress(context)));
    }

    private sealed class CountedProgress(ProgressContext context) : IProgress<(string Stage, int Done, int Total)>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];

        public void Report((string Stage, int Done, int Total) value)
        {
            lock (_tasks)
            {
                if (!_tasks.TryGetValue(value.Stage, out var task))
                    _tasks[value.Stage] = task = context.AddTask(value.Stage, maxValue: Math.Max(value.Total, 1));
                task.Value = Math.Clamp(value.Done, 0, task.MaxValue);
            }
        }
    }

    private sealed class StageProgress(ProgressContext context) : IProgress<(string Stage, double Fraction)>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];

        public void Report((string Stage, double Fraction) value)
        {
            lock (_tasks)
            {
                if (!_tasks.TryGetValue(value.Stage, out var task))
                    _tasks[value.Stage] = task = context.AddTask(value.Stage, maxValue: 1);
                task.Value = Math.Clamp(value.Fraction, 0, 1);
            }
        }
    }
}
