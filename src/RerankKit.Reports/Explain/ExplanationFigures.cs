using ScottPlot;
using SkiaSharp;

namespace RerankKit.Explain;

/// <summary>The PNG figures of an explanation, drawn with ScottPlot. Each method returns the encoded image.</summary>
public static class ExplanationFigures
{
    /// <summary>Frames drawn per layer transition of the trajectory GIF (one more shows the embeddings).</summary>
    public const int GifFramesPerLayer = 3;

    /// <summary>Every head of <paramref name="layer"/> (0-based) as a query-to-document block: rows are query tokens,
    /// columns document tokens; the mean over heads beside them.</summary>
    public static Figure AttentionHeads(Explanation e, int layer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, e.NumLayers);
        var rows = Positions(e, TokenRole.Query);
        var cols = Positions(e, TokenRole.Document);
        // A pair whose query or document was truncated away still gets a picture: fall back to all tokens.
        if (rows.Length == 0 || cols.Length == 0)
            rows = cols = Enumerable.Range(0, e.Length).ToArray();

        var blocks = new double[e.NumHeads][,];
        var mean = new double[rows.Length, cols.Length];
        double max = 0;
        for (int h = 0; h < e.NumHeads; h++)
        {
            blocks[h] = new double[rows.Length, cols.Length];
            for (int r = 0; r < rows.Length; r++)
                for (int c = 0; c < cols.Length; c++)
                {
                    double v = e.Attention(layer, h, rows[r], cols[c]);
                    blocks[h][r, c] = v;
                    mean[r, c] += v / e.NumHeads;
                    max = Math.Max(max, v);
                }
        }
        if (max <= 0) max = 1;

        float cell = Math.Clamp(520f / Math.Max(rows.Length, cols.Length), 3f, 26f);
        const float leftLabels = 130, bottomLabels = 120, titleSpace = 34, colorBar = 90;
        float panelW = leftLabels + cols.Length * cell + 20, panelH = titleSpace + rows.Length * cell + bottomLabels;
        int gridCols = (int)Math.Ceiling(Math.Sqrt(e.NumHeads));
        int gridRows = (int)Math.Ceiling(e.NumHeads / (double)gridCols);
        const float header = 56, gap = 40;
        int width = (int)(gridCols * panelW + gap + panelW + colorBar + 20);
        int height = (int)(header + Math.Max(gridRows * panelH, panelH) + 10);

        using var canvas = new Canvas(width, height);
        canvas.Text($"Layer {layer + 1} of {e.NumLayers}: attention from query tokens (rows) to document tokens (columns)", 16, 26, 18, bold: true);
        canvas.Text($"Colour scale 0 to {max:0.###} shared by all heads; each row also attends to special tokens and to its own segment, not shown.", 16, 46, 13, color: SKColors.DimGray);
        for (int h = 0; h < e.NumHeads; h++)
        {
            using var plot = Heatmap(blocks[h], $"head {h + 1}", e, rows, cols, cell, max, colorBarOn: false);
            canvas.Place(plot, (h % gridCols) * panelW, header + (h / gridCols) * panelH, panelW, panelH);
        }
        using (var meanPlot = Heatmap(mean, "mean over heads", e, rows, cols, cell, max, colorBarOn: true))
            canvas.Place(meanPlot, gridCols * panelW + gap, header + Math.Max(0, (gridRows - 1) * panelH / 2), panelW + colorBar, panelH);
        return new Figure(canvas.Png(), canvas.Width, canvas.Height);
    }

    /// <summary>Every layer (rows) and head (columns) as a thumbnail of its full [T, T] attention matrix.</summary>
    public static Figure AttentionAllLayers(Explanation e)
    {
        const float thumb = 150, left = 40, header = 60;
        int width = (int)Math.Max(820, left + e.NumHeads * thumb + 10), height = (int)(header + e.NumLayers * thumb + 10);
        using var canvas = new Canvas(width, height);
        canvas.Text($"Attention of every head, {e.NumLayers} layers x {e.NumHeads} heads (rows: from token, columns: to token, {e.Length} tokens)", 12, 24, 16, bold: true);
        canvas.Text("Each thumbnail has its own colour scale from 0 to its largest weight.", 12, 44, 12, color: SKColors.DimGray);
        var all = Enumerable.Range(0, e.Length).ToArray();
        for (int l = 0; l < e.NumLayers; l++)
        {
            canvas.Text($"L{l + 1}", 6, header + l * thumb + thumb / 2, 13, bold: true);
            for (int h = 0; h < e.NumHeads; h++)
            {
                var data = new double[e.Length, e.Length];
                double max = 0;
                for (int i = 0; i < e.Length; i++)
                    for (int j = 0; j < e.Length; j++)
                        max = Math.Max(max, data[i, j] = e.Attention(l, h, i, j));
                using var plot = new Plot();
                var map = plot.Add.Heatmap(data);
                map.Colormap = new ScottPlot.Colormaps.Viridis();
                map.ManualRange = new ScottPlot.Range(0, max > 0 ? max : 1);
                plot.Axes.Frameless();
                plot.Title($"L{l + 1} H{h + 1}", 11);
                plot.Axes.Margins(0, 0);
                canvas.Place(plot, left + h * thumb, header + l * thumb, thumb, thumb);
            }
        }
        return new Figure(canvas.Png(), canvas.Width, canvas.Height);
    }

    /// <summary>Gradient saliency and gradient x input per token, query and document coloured apart, top tokens listed.</summary>
    public static Figure Saliency(Explanation e, int topK = 10) =>
        TokenBars(e,
            [("Gradient saliency: sum over hidden units of |d score / d word embedding|", e.Saliency),
             ("Gradient x input: sum over hidden units of gradient x word embedding (signed)", e.GradientTimesInput)],
            topK);

    /// <summary>Integrated-gradients attribution per token, with the completeness check in the caption.</summary>
    public static Figure IntegratedGradients(Explanation e, int topK = 10)
    {
        var ig = e.IntegratedGradients;
        string title = $"Integrated gradients from a [PAD] baseline ({ig.Steps} steps, {RuleName(ig.Rule)})";
        string[] notes =
        [
            "Completeness check",
            $"sum of attributions  {ig.AttributionSum:0.0000}",
            $"score(input)  {ig.InputScore:0.0000}",
            $"score(baseline)  {ig.BaselineScore:0.0000}",
            $"difference  {ig.ScoreDelta:0.0000}",
            $"relative error  {100 * ig.CompletenessError:0.###}%",
        ];
        return TokenBars(e, [(title, ig.Attributions)], topK, notes);
    }

    /// <summary>The chosen tokens' hidden states through every layer, on the two principal components of all of them.</summary>
    public static Figure Trajectory(Explanation e, int width = 900, int height = 700)
    {
        using var plot = TrajectoryPlot(e, e.NumLayers, Bounds(e), width, height);
        plot.Title($"Hidden-state trajectories of {e.Trajectories.Count} tokens through {e.NumLayers} layers (L0 = embeddings)", 15);
        using var canvas = new Canvas(width, height);
        canvas.Place(plot, 0, 0, width, height);
        return new Figure(canvas.Png(), canvas.Width, canvas.Height);
    }

    /// <summary>The trajectories growing layer by layer, as an animated GIF (frames eased between layers).</summary>
    public static Figure TrajectoryGif(Explanation e, int width = 640, int height = 480, int framesPerLayer = GifFramesPerLayer)
    {
        var bounds = Bounds(e);
        var frames = new List<GifEncoder.Frame>();
        for (int step = 0; step <= e.NumLayers * framesPerLayer; step++)
        {
            double progress = step / (double)framesPerLayer;
            bool atLayer = step % framesPerLayer == 0;
            using var plot = TrajectoryPlot(e, progress, bounds, width, height);
            plot.Title(atLayer ? $"Layer {(int)progress} of {e.NumLayers}" : $"Layer {(int)progress} to {(int)progress + 1}", 15);
            using var canvas = new Canvas(width, height);
            canvas.Place(plot, 0, 0, width, height);
            bool last = step == e.NumLayers * framesPerLayer;
            frames.Add(new GifEncoder.Frame(canvas.Rgba(), last ? 300 : atLayer ? 80 : 12));
        }
        return new Figure(GifEncoder.Encode(width, height, frames), width, height, frames.Count);
    }

    private static string RuleName(IntegrationRule rule) => rule == IntegrationRule.Trapezoid ? "trapezoid rule" : "midpoint Riemann sum";

    private static int[] Positions(Explanation e, TokenRole role) =>
        Enumerable.Range(0, e.Length).Where(i => e.Roles[i] == role).ToArray();

    private static Plot Heatmap(double[,] data, string title, Explanation e, int[] rows, int[] cols, float cell, double max, bool colorBarOn)
    {
        var plot = new Plot();
        var map = plot.Add.Heatmap(data);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.ManualRange = new ScottPlot.Range(0, max);
        map.Position = new CoordinateRect(-0.5, cols.Length - 0.5, -0.5, rows.Length - 0.5);
        if (colorBarOn)
            plot.Add.ColorBar(map);
        plot.Title(title, 13);
        int xStride = FigureStyle.LabelStride(cell), yStride = FigureStyle.LabelStride(cell);
        var xTicks = Enumerable.Range(0, cols.Length).Where(c => c % xStride == 0).ToArray();
        var yTicks = Enumerable.Range(0, rows.Length).Where(r => r % yStride == 0).ToArray();
        plot.Axes.Bottom.SetTicks(xTicks.Select(c => (double)c).ToArray(), xTicks.Select(c => FigureStyle.Label(e.Tokens[cols[c]], cols[c])).ToArray());
        // Heatmap row 0 is drawn at the top, so the first query token reads first.
        plot.Axes.Left.SetTicks(yTicks.Select(r => (double)(rows.Length - 1 - r)).ToArray(), yTicks.Select(r => FigureStyle.Label(e.Tokens[rows[r]], rows[r])).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 10;
        plot.Axes.Left.TickLabelStyle.FontSize = 10;
        plot.Axes.Bottom.MinimumSize = 100;
        plot.Axes.Left.MinimumSize = 110;
        plot.Axes.SetLimits(-0.5, cols.Length - 0.5, -0.5, rows.Length - 0.5);
        plot.HideGrid();
        return plot;
    }

    private static Figure TokenBars(Explanation e, (string Title, double[] Values)[] panels, int topK, string[]? notes = null)
    {
        float barPx = Math.Clamp(1100f / e.Length, 4f, 22f);
        int stride = FigureStyle.LabelStride(barPx);
        const float listWidth = 300, panelHeight = 420, header = 10;
        int plotWidth = (int)Math.Max(700, 120 + e.Length * barPx);
        int width = (int)(plotWidth + listWidth);
        int height = (int)Math.Max(header + panels.Length * panelHeight, 64 + (topK + (notes?.Length ?? 0) + 1) * 20);
        using var canvas = new Canvas(width, height);
        for (int p = 0; p < panels.Length; p++)
        {
            var (title, values) = panels[p];
            using var plot = new Plot();
            var bars = Enumerable.Range(0, e.Length).Select(i => new Bar
            {
                Position = i,
                Value = values[i],
                FillColor = FigureStyle.RoleColor(e.Roles[i]),
                LineWidth = 0,
                Size = 0.8,
            }).ToList();
            plot.Add.Bars(bars);
            var ticks = Enumerable.Range(0, e.Length).Where(i => i % stride == 0).ToArray();
            plot.Axes.Bottom.SetTicks(ticks.Select(i => (double)i).ToArray(), ticks.Select(i => FigureStyle.Label(e.Tokens[i], i)).ToArray());
            plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            plot.Axes.Bottom.TickLabelStyle.FontSize = 10;
            plot.Axes.Bottom.MinimumSize = 110;
            plot.Axes.Margins(0.01, 0.1);
            plot.Title(title, 13);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "query", FillColor = FigureStyle.QueryColor });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "document", FillColor = FigureStyle.DocumentColor });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "special", FillColor = FigureStyle.SpecialColor });
            plot.ShowLegend(Alignment.UpperRight);
            float top = header + p * panelHeight;
            canvas.Place(plot, 0, top, plotWidth, panelHeight);

            canvas.Text(values.Any(v => v < 0) ? "Top tokens (by |value|)" : "Top tokens", plotWidth + 12, top + 40, 14, bold: true);
            var best = e.TopTokens(values, topK);
            for (int k = 0; k < best.Count; k++)
            {
                int i = best[k];
                var role = e.Roles[i];
                canvas.Text($"{k + 1,2}. {FigureStyle.Label(e.Tokens[i], i)}  {values[i]:0.0000}", plotWidth + 12, top + 64 + k * 20, 13,
                    color: new SKColor(FigureStyle.RoleColor(role).ARGB));
            }
            float notesTop = top + 64 + (best.Count + 1) * 20;
            for (int n = 0; n < (notes?.Length ?? 0); n++)
                canvas.Text(notes![n], plotWidth + 12, notesTop + n * 20, n == 0 ? 14 : 13, bold: n == 0);
        }
        return new Figure(canvas.Png(), canvas.Width, canvas.Height);
    }

    private static CoordinateRect Bounds(Explanation e)
    {
        var xs = e.Trajectories.SelectMany(t => t.X).ToArray();
        var ys = e.Trajectories.SelectMany(t => t.Y).ToArray();
        double padX = Math.Max((xs.Max() - xs.Min()) * 0.12, 1e-6), padY = Math.Max((ys.Max() - ys.Min()) * 0.12, 1e-6);
        return new CoordinateRect(xs.Min() - padX, xs.Max() + padX, ys.Min() - padY, ys.Max() + padY);
    }

    /// <summary>The trajectories up to <paramref name="progress"/> layers (fractions interpolate the last segment).</summary>
    private static Plot TrajectoryPlot(Explanation e, double progress, CoordinateRect bounds, int width, int height)
    {
        var plot = new Plot();
        int whole = (int)Math.Floor(progress);
        double fraction = progress - whole;
        for (int k = 0; k < e.Trajectories.Count; k++)
        {
            var t = e.Trajectories[k];
            var color = FigureStyle.Palette[k % FigureStyle.Palette.Length];
            var xs = t.X.Take(whole + 1).ToList();
            var ys = t.Y.Take(whole + 1).ToList();
            if (fraction > 0 && whole + 1 < t.X.Length)
            {
                xs.Add(t.X[whole] + fraction * (t.X[whole + 1] - t.X[whole]));
                ys.Add(t.Y[whole] + fraction * (t.Y[whole + 1] - t.Y[whole]));
            }
            var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), color);
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.LegendText = FigureStyle.Label(t.Token, t.Position);
            // Layers that barely move would print their labels on top of each other: consecutive layers closer than
            // a label's size (in approximate pixels of the data area) share one label such as "L2-4".
            double pxPerX = 0.85 * width / (bounds.Right - bounds.Left), pxPerY = 0.8 * height / (bounds.Top - bounds.Bottom);
            int shown = Math.Min(whole, t.X.Length - 1);
            for (int first = 0; first <= shown;)
            {
                int last = first;
                while (last + 1 <= shown && Math.Abs(t.X[last + 1] - t.X[first]) * pxPerX < 24 && Math.Abs(t.Y[last + 1] - t.Y[first]) * pxPerY < 12)
                    last++;
                var label = plot.Add.Text(last == first ? $"L{first}" : $"L{first}-{last}", t.X[first], t.Y[first]);
                label.LabelFontSize = 10;
                label.LabelFontColor = color;
                label.LabelOffsetX = 5;
                label.LabelOffsetY = -5;
                first = last + 1;
            }
            var head = plot.Add.Text(t.Token, xs[^1], ys[^1]);
            head.LabelFontSize = 13;
            head.LabelBold = true;
            head.LabelFontColor = color;
            head.LabelOffsetX = 6;
            head.LabelOffsetY = 8;
        }
        plot.Axes.SetLimits(bounds.Left, bounds.Right, bounds.Bottom, bounds.Top);
        plot.XLabel($"PC1 ({100 * e.ExplainedVariance1:0.#}% of variance)");
        plot.YLabel($"PC2 ({100 * e.ExplainedVariance2:0.#}% of variance)");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
