using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RerankKit.Cli.Commands;

/// <summary>A progress column with the items per second of a bar whose value counts items (documents embedded, queries
/// evaluated), so a long corpus encode shows its docs/s as it runs.</summary>
internal sealed class RateColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text(Format(task.Speed, task.Description), new Style(Color.Grey));

    /// <summary>"1234 docs/s" for the embed phase, "56/s" for others, "" before the first measurement.</summary>
    public static string Format(double? perSecond, string phase) => perSecond is { } rate
        ? string.Create(CultureInfo.InvariantCulture, $"{rate:F0}{(phase == "embed" ? " docs" : "")}/s")
        : "";
}
