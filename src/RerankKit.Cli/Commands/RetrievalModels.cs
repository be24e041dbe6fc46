using RerankKit.Retrieval;

namespace RerankKit.Cli.Commands;

/// <summary>The one place the retrieval commands load models, and their progress bars.</summary>
internal static class RetrievalModels
{
    public static IBiEncoder LoadBiEncoder(string model, string? onnxFile = null) =>
        ModelOptions.LoadBiEncoder(model, new BiEncoderOptions { OnnxFile = onnxFile });

    /// <summary>Index and evaluation progress as <see cref="ConsoleProgress"/> bars on stderr, one per phase, each
    /// with its rate (docs/s while embedding).</summary>
    public static T WithProgress<T>(bool enabled, Func<IProgress<IndexProgress>?, T> work) =>
        ConsoleProgress.RunCounted(enabled, bars => work(bars is null ? null : new PhaseProgress(bars)));

    private sealed class PhaseProgress(IProgress<(string Stage, int Done, int Total)> bars) : IProgress<IndexProgress>
    {
        public void Report(IndexProgress value) => bars.Report((value.Phase, value.Done, value.Total));
    }
}
