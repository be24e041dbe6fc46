using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace RerankKit.Visualization;

/// <summary>The five PNG views of one model, drawn with ScottPlot.</summary>
internal static class EmbeddingPlots
{
    public const int Width = 1200;
    public const int Height = 900;

    private static readonly Color QueryColor = Color.FromHex("#1f77b4");
    private static readonly Color PositiveColor = Color.FromHex("#ff7f0e");
    private static readonly Color Green = Color.FromHex("#1a9850");
    private static readonly Color Red = Color.FromHex("#d73027");

    // matplotlib's RdYlGn (ColorBrewer), which ScottPlot does not ship.
    private static readonly Color[] RdYlGn =
        new[] { "#a50026", "#d73027", "#f46d43", "#fdae61", "#fee08b", "#ffffbf", "#d9ef8b", "#a6d96a", "#66bd63", "#1a9850", "#006837" }
            .Select(Color.FromHex).ToArray();

    public static byte[] Projection(Projection projection, string modelName)
    {
        var plot = new Plot();
        int n = projection.Coordinates.Length / 2;
        var lineColor = Colors.Gray.WithAlpha(0.35);
        for (int i = 0; i < n; i++)
        {
            var q = projection.Coordinates[i];
            var p = projection.Coordinates[n + i];
            var line = plot.Add.Line(q[0], q[1], p[0], p[1]);
            line.LineWidth = 0.6f;
            line.Color = lineColor;
        }
        var queries = plot.Add.ScatterPoints(projection.Coordinates.Take(n).Select(c => c[0]).ToArray(), projection.Coordinates.Take(n).Select(c => c[1]).ToArray(), QueryColor);
        queries.MarkerSize = 6;
        queries.LegendText = "query";
        var positives = plot.Add.ScatterPoints(projection.Coordinates.Skip(n).Select(c => c[0]).ToArray(), projection.Coordinates.Skip(n).Select(c => c[1]).ToArray(), PositiveColor);
        positives.MarkerSize = 6;
        positives.LegendText = "positive";
        plot.ShowLegend(Alignment.UpperRight);
        string trust = double.IsNaN(projection.Trustworthiness) ? "n/a" : projection.Trustworthiness.ToString("0.000", CultureInfo.InvariantCulture);
        plot.Title($"{projection.Title} of {n} queries and their positives ({modelName})");
        plot.XLabel($"{projection.Details}; trustworthiness (k=5) {trust}; a line joins each pair");
        plot.YLabel($"{projection.Title} 2");
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    public static byte[] Heatmap(SimilarityStatistics s, string modelName)
    {
        int n = s.Pairs;
        var plot = new Plot();
        var cells = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                cells[i, j] = s.Similarity[i][j];
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.CustomInterpolated(RdYlGn);
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        heatmap.Extent = new CoordinateRect(-0.5, n - 0.5, n - 0.5, -0.5);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = "cosine similarity";
        plot.Axes.SetLimits(-0.5, n - 0.5, n - 0.5, -0.5);
        if (n <= 25)
        {
            var ticks = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            var labels = ticks.Select(t => t.ToString(CultureInfo.InvariantCulture)).ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, labels);
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, labels);
        }
        plot.Title($"Cosine similarity of query i to positive j ({modelName}); diagonal = own positive");
        plot.XLabel("positive j");
        plot.YLabel("query i");
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    public static byte[] Distribution(SimilarityStatistics s, string modelName)
    {
        var positive = Enumerable.Range(0, s.Pairs).Select(i => s.Similarity[i][i]).ToArray();
        var negative = Enumerable.Range(0, s.Pairs).SelectMany(i => Enumerable.Range(0, s.Pairs).Where(j => j != i).Select(j => s.Similarity[i][j])).ToArray();
        double lo = Math.Min(positive.Min(), negative.Min()), hi = Math.Max(positive.Max(), negative.Max());
        if (hi - lo < 1e-9)
            (lo, hi) = (lo - 0.05, hi + 0.05);
        const int bins = 40;
        double width = (hi - lo) / bins;

        var histogram = new Plot();
        AddHistogram(histogram, negative, lo, width, bins, Red, $"negative (off-diagonal, n={negative.Length})");
        AddHistogram(histogram, positive, lo, width, bins, Green, $"positive (diagonal, n={positive.Length})");
        foreach (var (mean, color) in new[] { (s.PositiveMean, Green), (s.NegativeMean, Red) })
        {
            var line = histogram.Add.VerticalLine(mean);
            line.Color = color;
            line.LinePattern = LinePattern.Dashed;
        }
        var note = histogram.Add.Annotation(string.Create(CultureInfo.InvariantCulture,
            $"positive {s.PositiveMean:0.000} ± {s.PositiveStd:0.000}\nnegative {s.NegativeMean:0.000} ± {s.NegativeStd:0.000}\nmargin {s.Margin:0.000}\nseparation {s.Separation:0.00} σ"), Alignment.UpperLeft);
        note.LabelFontSize = 15;
        histogram.ShowLegend(Alignment.UpperRight);
        histogram.Title($"Similarity distributions ({modelName})");
        histogram.XLabel("cosine similarity");
        histogram.YLabel("fraction of pairs");
        histogram.Axes.Margins(bottom: 0);

        var boxes = new Plot();
        foreach (var (values, position, color) in new[] { (positive, 0.0, Green), (negative, 1.0, Red) })
            boxes.Add.Box(BoxOf(values, position)).FillColor = color.WithAlpha(0.55);
        var means = boxes.Add.ScatterPoints(new[] { 0.0, 1.0 }, new[] { s.PositiveMean, s.NegativeMean }, Colors.Black);
        means.MarkerSize = 9;
        means.MarkerShape = MarkerShape.FilledDiamond;
        means.LegendText = "mean";
        boxes.ShowLegend(Alignment.UpperRight);
        boxes.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([0, 1], ["positive", "negative"]);
        boxes.Axes.SetLimitsX(-0.7, 1.7);
        boxes.Title("Box plot (whiskers: min to max)");
        boxes.YLabel("cosine similarity");

        return Compose(Width + 400, Height, null, (histogram, new PixelRect(0, Width, Height, 0)), (boxes, new PixelRect(Width, Width + 400, Height, 0)));
    }

    private static void AddHistogram(Plot plot, double[] values, double lo, double width, int bins, Color color, string legend)
    {
        var counts = new double[bins];
        foreach (double v in values)
            counts[Math.Clamp((int)((v - lo) / width), 0, bins - 1)]++;
        var bars = Enumerable.Range(0, bins).Select(b => new Bar
        {
            Position = lo + (b + 0.5) * width,
            Value = counts[b] / values.Length,
            Size = width,
            FillColor = color.WithAlpha(0.55),
            LineWidth = 0,
        }).ToArray();
        var plottable = plot.Add.Bars(bars);
        plottable.LegendText = legend;
    }

    private static Box BoxOf(double[] values, double position)
    {
        var sorted = values.Order().ToArray();
        return new Box
        {
            Position = position,
            BoxMin = Quantile(sorted, 0.25),
            BoxMiddle = Quantile(sorted, 0.5),
            BoxMax = Quantile(sorted, 0.75),
            WhiskerMin = sorted[0],
            WhiskerMax = sorted[^1],
            Width = 0.6,
        };
    }

    private static double Quantile(double[] sorted, double q)
    {
        double index = q * (sorted.Length - 1);
        int low = (int)Math.Floor(index);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (index - low) * (sorted[high] - sorted[low]);
    }

    /// <summary>Queries shown in the top-k view: up to two found at rank 1 and the worst-ranked others.</summary>
    public static int[] ExampleQueries(SimilarityStatistics s, int count = 4)
    {
        var hits = Enumerable.Range(0, s.Pairs).Where(i => s.Ranks[i] == 1).Take(count / 2);
        var misses = Enumerable.Range(0, s.Pairs).Where(i => s.Ranks[i] > 1).OrderByDescending(i => s.Ranks[i]).ThenBy(i => i);
        var chosen = hits.Concat(misses).Take(count).ToList();
        chosen.AddRange(Enumerable.Range(0, s.Pairs).Except(chosen).Take(count - chosen.Count));
        return [.. chosen.Order()];
    }

    public static byte[] TopK(SimilarityStatistics s, IReadOnlyList<QueryPositivePair> pairs, string modelName, int k = 10)
    {
        var examples = ExampleQueries(s);
        int columns = examples.Length > 1 ? 2 : 1, rows = (examples.Length + columns - 1) / columns;
        int panelWidth = 900, panelHeight = 520;
        var panels = new List<(Plot, PixelRect)>();
        for (int e = 0; e < examples.Length; e++)
        {
            int i = examples[e];
            var top = Enumerable.Range(0, s.Pairs).OrderByDescending(j => s.Similarity[i][j]).ThenBy(j => j).Take(k).ToArray();
            var plot = new Plot();
            var bars = top.Select((j, r) => new Bar
            {
                Position = top.Length - 1 - r,
                Value = s.Similarity[i][j],
                FillColor = j == i ? Green : Red,
                Orientation = Orientation.Horizontal,
                Size = 0.8,
            }).ToArray();
            plot.Add.Bars(bars);
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                top.Select((_, r) => (double)(top.Length - 1 - r)).ToArray(),
                top.Select(j => $"#{j} {Shorten(pairs[j].Positive, 38)}").ToArray());
            plot.Axes.SetLimitsX(Math.Min(0, top.Min(j => s.Similarity[i][j])), 1);
            plot.Axes.Margins(left: 0);
            string rank = s.Ranks[i] <= k ? $"positive at rank {s.Ranks[i]}" : $"positive at rank {s.Ranks[i]}, not shown";
            plot.Title($"Q{i}: {Shorten(pairs[i].Query, 60)}", size: 14);
            plot.XLabel($"cosine similarity ({rank}; green = true positive, red = other documents)", size: 12);
            int x = (e % columns) * panelWidth, y = (e / columns) * panelHeight;
            panels.Add((plot, new PixelRect(x, x + panelWidth, y + panelHeight, y)));
        }
        for (int p = 0; p < panels.Count; p++)
        {
            var (plot, rect) = panels[p];
            panels[p] = (plot, new PixelRect(rect.Left, rect.Right, rect.Bottom + HeaderHeight, rect.Top + HeaderHeight));
        }
        return Compose(columns * panelWidth, rows * panelHeight + HeaderHeight, $"Top-{k} most similar documents for example queries ({modelName})", [.. panels]);
    }

    private static string Shorten(string text, int max)
    {
        string flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= max ? flat : flat[..(max - 1)].TrimEnd() + "…";
    }

    private const int HeaderHeight = 44;

    /// <summary>Renders several plots side by side on one white canvas, under an optional heading.</summary>
    private static byte[] Compose(int width, int height, string? heading, params (Plot Plot, PixelRect Rect)[] panels)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        surface.Canvas.Clear(SKColors.White);
        if (heading is not null)
        {
            using var typeface = SKTypeface.FromFamilyName(Fonts.Default, SKFontStyle.Bold);
            using var font = new SKFont(typeface, 22);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            surface.Canvas.DrawText(heading, width / 2f, HeaderHeight - 12, SKTextAlign.Center, font, paint);
        }
        // Each plot is rendered on its own: ScottPlot fills the whole canvas with its background when it renders.
        foreach (var (plot, rect) in panels)
        {
            using var panel = SKBitmap.Decode(plot.GetImageBytes((int)rect.Width, (int)rect.Height, ImageFormat.Png));
            surface.Canvas.DrawBitmap(panel, rect.Left, rect.Top);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
