using System.Globalization;
using System.Text;
using static RerankKit.Explain.HtmlText;

namespace RerankKit.Explain;

/// <summary><c>index.html</c> and <c>summary.csv</c> of a batch: scores, top tokens and attention entropy side by side.</summary>
public static class BatchIndex
{
    private const int ListedTokens = 5;

    public static string Html(IReadOnlyList<BatchEntry> entries, string? modelName = null)
    {
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Explanations of {entries.Count} pairs</title><style>{Style}</style></head><body>");
        html.Append($"<h1>Explanations of {entries.Count} pairs{(modelName is null ? "" : " by " + E(modelName))}</h1>");
        int failed = entries.Count(e => !e.Succeeded);
        html.Append($"<p>{entries.Count - failed} explained, {failed} failed. Scores are raw logits; rank is within the query. "
            + "Each id links to the pair's full report.</p>");
        html.Append("<div class=\"warn\"><b>Attention weights are not explanations.</b> Compare pairs by the gradient-based columns "
            + "(saliency, integrated gradients); attention entropy only says how focused each head is.</div>");

        var ranks = RanksWithinQuery(entries);
        html.Append($"<table><tr><th>id</th><th>query</th><th>document</th><th>score</th><th>rank</th><th>top tokens by saliency</th>"
            + "<th>top tokens by integrated gradients</th><th>IG completeness error</th><th>attention entropy per head (rows: layers)</th></tr>");
        foreach (var entry in entries)
        {
            var (pair, e) = (entry.Pair, entry.Explanation);
            html.Append("<tr>");
            html.Append(e is null ? $"<td class=\"fail\">{E(pair.Id)}</td>" : $"<td><a href=\"{E(Uri.EscapeDataString(pair.Id))}/{ExplanationWriter.ReportFile}\">{E(pair.Id)}</a></td>");
            html.Append($"<td>{E(Short(pair.Query, 80))}</td><td>{E(Short(pair.Document, 140))}</td>");
            if (e is null)
            {
                html.Append($"<td colspan=\"6\" class=\"fail\">failed: {E(entry.Error!)}</td></tr>");
                continue;
            }
            html.Append($"<td class=\"n\">{N(e.Score)}</td><td class=\"n\">{ranks[entry]}</td>");
            html.Append($"<td>{TokenList(e, e.Saliency)}</td><td>{TokenList(e, e.IntegratedGradients.Attributions)}</td>");
            html.Append($"<td class=\"n\">{N(100 * e.IntegratedGradients.CompletenessError, "0.##")}%</td>");
            html.Append($"<td>{ExplanationReport.EntropyTable(e.AttentionEntropy, Math.Log(e.Length))}</td></tr>");
        }
        html.Append("</table>");
        if (failed > 0)
        {
            html.Append("<h2>Failures</h2><ul>");
            foreach (var entry in entries.Where(e => !e.Succeeded))
                html.Append($"<li><b>{E(entry.Pair.Id)}</b>: {E(entry.Error!)}</li>");
            html.Append("</ul>");
        }
        return html.Append("</body></html>").ToString();
    }

    public static string Csv(IReadOnlyList<BatchEntry> entries)
    {
        var csv = new StringBuilder("id,query,document,status,score,rank_in_query,top_saliency_tokens,top_integrated_gradients_tokens,ig_attribution_sum,ig_score_delta,ig_relative_error,mean_attention_entropy,error\r\n");
        var ranks = RanksWithinQuery(entries);
        foreach (var entry in entries)
        {
            var e = entry.Explanation;
            string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
            string[] fields = e is null
                ? [entry.Pair.Id, entry.Pair.Query, entry.Pair.Document, "failed", "", "", "", "", "", "", "", "", entry.Error!]
                : [entry.Pair.Id, entry.Pair.Query, entry.Pair.Document, "ok", F(e.Score), ranks[entry].ToString(CultureInfo.InvariantCulture),
                   string.Join(" ", e.TopTokens(e.Saliency, ListedTokens).Select(i => e.Tokens[i])),
                   string.Join(" ", e.TopTokens(e.IntegratedGradients.Attributions, ListedTokens).Select(i => e.Tokens[i])),
                   F(e.IntegratedGradients.AttributionSum), F(e.IntegratedGradients.ScoreDelta),
                   double.IsFinite(e.IntegratedGradients.CompletenessError) ? F(e.IntegratedGradients.CompletenessError) : "",
                   F(e.AttentionEntropy.SelectMany(l => l).Average()), ""];
            csv.Append(string.Join(",", fields.Select(Quote))).Append("\r\n");
        }
        return csv.ToString();
    }

    // RFC 4180: quote fields holding a comma, quote or line break, doubling quotes inside.
    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    private static Dictionary<BatchEntry, int> RanksWithinQuery(IReadOnlyList<BatchEntry> entries) =>
        entries.Where(e => e.Succeeded)
            .GroupBy(e => e.Pair.Query)
            .SelectMany(g => g.OrderByDescending(e => e.Explanation!.Score).Select((e, i) => (e, i + 1)))
            .ToDictionary(x => x.e, x => x.Item2);

    private static string TokenList(Explanation e, double[] values) =>
        string.Join(" ", e.TopTokens(values, ListedTokens).Select(i =>
            $"<span class=\"tok {RoleClass(e.Roles[i])}\" title=\"{N(values[i])}\">{E(e.Tokens[i])}</span>"));

    private static string Short(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
