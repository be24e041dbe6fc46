using RerankKit.Explain;
using SkiaSharp;

namespace RerankKit.Tests.Explain;

public sealed class AttentionFigureTests
{
    [Fact]
    public void QueryTokensAreRowsFromTheTopAndDocumentTokensColumnsFromTheLeft()
    {
        // Tokens [CLS] q1 q2 [SEP] d1 d2 [SEP]; the only attention from a query token to a document token is q1 -> d2,
        // so in the head's 2 x 2 block the single bright (yellow) cell must be the top-right one.
        string[] tokens = ["[CLS]", "q1", "q2", "[SEP]", "d1", "d2", "[SEP]"];
        int t = tokens.Length;
        var attention = new float[t * t];
        for (int i = 0; i < t; i++)
            attention[i * t + (i == 1 ? 5 : 0)] = 1;
        var ig = new IntegratedGradientsResult(new double[t], 0, 0, 1, IntegrationRule.Trapezoid);
        var e = new Explanation
        {
            Query = "q1 q2", Document = "d1 d2", Tokens = tokens, InputIds = new int[t], TokenTypeIds = new int[t],
            Roles = TokenRoles.Assign(tokens), Score = 0, NumLayers = 1, NumHeads = 1, Attentions = [attention],
            Saliency = new double[t], GradientTimesInput = new double[t], IntegratedGradients = ig, Rollout = new double[t],
            AttentionEntropy = [[0]], Trajectories = [], ExplainedVariance1 = 0, ExplainedVariance2 = 0,
        };
        var figure = ExplanationFigures.AttentionHeads(e, 0);
        using var bitmap = SKBitmap.Decode(figure.Bytes);
        Assert.Equal((figure.Width, figure.Height), (bitmap.Width, bitmap.Height));

        // Only the head panel (the left part; the mean panel and its colour bar are to the right).
        int panelRight = bitmap.Width / 2;
        var yellow = Centroid(bitmap, panelRight, c => c.Red > 200 && c.Green > 200 && c.Blue < 90);
        var purple = Centroid(bitmap, panelRight, c => c.Red is > 50 and < 90 && c.Green < 20 && c.Blue is > 70 and < 100);
        Assert.True(yellow.Count > 100 && purple.Count > 300, $"{yellow.Count} yellow and {purple.Count} purple pixels");
        Assert.True(yellow.Y < purple.Y, $"bright cell at y {yellow.Y}, dark cells at y {purple.Y}: q1 should be the top row");
        Assert.True(yellow.X > purple.X, $"bright cell at x {yellow.X}, dark cells at x {purple.X}: d2 should be the right column");
    }

    private static (int Count, double X, double Y) Centroid(SKBitmap bitmap, int right, Func<SKColor, bool> match)
    {
        int count = 0;
        double x = 0, y = 0;
        for (int row = 0; row < bitmap.Height; row++)
            for (int col = 0; col < right; col++)
                if (match(bitmap.GetPixel(col, row)))
                    (count, x, y) = (count + 1, x + col, y + row);
        return (count, count > 0 ? x / count : double.NaN, count > 0 ? y / count : double.NaN);
    }
}
