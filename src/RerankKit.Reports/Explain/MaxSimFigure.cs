using RerankKit.LateInteraction;
using ScottPlot;

namespace RerankKit.Explain;

/// <summary>The ColBERT explanation figure: query tokens (rows, [MASK] expansion included) against kept document
/// tokens (columns), coloured by dot product, with each query token's best document token circled: the cells whose
/// values MaxSim sums.</summary>
public static class MaxSimFigure
{
    public static Figure Draw(MaxSimAlignment alignment)
    {
        int rows = alignment.QueryTokens.Length, cols = alignment.DocumentTokens.Length;
        var data = new double[rows, cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
                data[r, c] = alignment.Similarities[r, c];
        }
        using var plot = new Plot();
        var map = plot.Add.Heatmap(data);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.Position = new CoordinateRect(-0.5, cols - 0.5, -0.5, rows - 0.5);
        plot.Add.ColorBar(map);
        // Heatmap row 0 is drawn at the top, so the first query token reads first.
        var best = plot.Add.Markers(
            alignment.BestMatch.Select(c => (double)c).ToArray(),
            Enumerable.Range(0, rows).Select(r => (double)(rows - 1 - r)).ToArray(),
            MarkerShape.OpenCircle, 9, Colors.Red);
        best.LegendText = "best document token (summed by MaxSim)";
        plot.Title(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ColBERT MaxSim alignment, score {alignment.Score:F4}"), 13);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, cols).Select(c => (double)c).ToArray(), alignment.DocumentTokens.Select((t, i) => $"{t} {i}").ToArray());
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows).Select(r => (double)(rows - 1 - r)).ToArray(), alignment.QueryTokens.Select((t, i) => $"{t} {i}").ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 10;
        plot.Axes.Left.TickLabelStyle.FontSize = 10;
        plot.Axes.Bottom.MinimumSize = 100;
        plot.Axes.Left.MinimumSize = 110;
        plot.Axes.SetLimits(-0.5, cols - 0.5, -0.5, rows - 0.5);
        plot.HideGrid();
        plot.ShowLegend(Alignment.LowerRight);
        int width = Math.Clamp(260 + cols * 16, 600, 4000), height = Math.Clamp(220 + rows * 16, 400, 4000);
        return new Figure(plot.GetImageBytes(width, height, ImageFormat.Png), width, height);
    }
}
