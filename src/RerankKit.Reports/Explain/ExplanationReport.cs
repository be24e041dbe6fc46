using System.Text;
using static RerankKit.Explain.HtmlText;

namespace RerankKit.Explain;

/// <summary><c>report.html</c>: one self-contained page (images embedded, no scripts or fonts fetched) with every view.</summary>
public static class ExplanationReport
{
    public static string Render(Explanation e, ExplanationFigureSet figures, string? modelName = null, int topK = 10)
    {
        var ig = e.IntegratedGradients;
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Why this score? {E(Short(e.Query, 60))}</title><style>{Style}</style></head><body>");
        html.Append("<h1>Why does the cross-encoder score this pair as it does?</h1>");
        html.Append("<table>");
        if (modelName is not null) html.Append($"<tr><th>model</th><td>{E(modelName)}</td></tr>");
        html.Append($"<tr><th>query</th><td>{E(e.Query)}</td></tr><tr><th>document</th><td>{E(e.Document)}</td></tr>");
        html.Append($"<tr><th>raw score (logit)</th><td class=\"n\">{N(e.Score, "0.000000")}</td></tr>");
        html.Append($"<tr><th>tokens</th><td>{e.Length} ({e.NumLayers} layers, {e.NumHeads} heads)</td></tr></table>");

        html.Append("<div class=\"warn\"><b>Attention weights are not explanations.</b> A head can attend strongly to a token that "
            + "does not change the score, and a token that decides the score can receive little attention (Jain and Wallace, 2019; "
            + "Wiegreffe and Pinter, 2019). The attention views below show how information is routed, not why the score is what it is. "
            + "Gradient saliency, gradient x input and integrated gradients measure how the score responds to each token; they are shown "
            + "beside the attention rollout so the two can be compared, and integrated gradients is checked for completeness.</div>");

        html.Append("<h2>Tokens: gradients beside attention</h2>");
        html.Append("<p class=\"note\">Underline: <span class=\"tok q\">query</span> <span class=\"tok d\">document</span> <span class=\"tok s\">special</span>. "
            + "Background: red raises the score, blue lowers it (saliency and rollout are unsigned).</p>");
        AppendStrip(html, e, "Integrated gradients", ig.Attributions);
        AppendStrip(html, e, "Gradient x input", e.GradientTimesInput);
        AppendStrip(html, e, "Gradient saliency", e.Saliency);
        AppendStrip(html, e, "Attention rollout from the first token", e.Rollout);

        html.Append("<h2>Completeness check of integrated gradients</h2>");
        html.Append($"<p>Sum of attributions {N(ig.AttributionSum)} vs score(input) - score(baseline) = {N(ig.InputScore)} - {N(ig.BaselineScore)} = {N(ig.ScoreDelta)}: "
            + $"relative error {N(100 * ig.CompletenessError, "0.###")}% with {ig.Steps} steps ({(ig.Rule == IntegrationRule.Trapezoid ? "trapezoid rule" : "midpoint Riemann sum")}). "
            + "The baseline replaces every non-special token's word embedding by the [PAD] embedding.</p>");
        html.Append(Img(figures.IntegratedGradients.Bytes, "image/png", "integrated gradients"));

        html.Append("<h2>Gradient saliency and gradient x input</h2>");
        html.Append(Img(figures.Saliency.Bytes, "image/png", "saliency"));

        html.Append("<h2>Top tokens</h2><table><tr><th>#</th><th>integrated gradients</th><th>gradient x input</th><th>saliency</th><th>attention rollout</th></tr>");
        var lists = new[] { ig.Attributions, e.GradientTimesInput, e.Saliency, e.Rollout }.Select(v => (v, e.TopTokens(v, topK))).ToArray();
        for (int k = 0; k < topK; k++)
        {
            html.Append($"<tr><td>{k + 1}</td>");
            foreach (var (values, top) in lists)
                html.Append(k < top.Count ? $"<td>{E(e.Tokens[top[k]])} <span class=\"note\">({top[k]}) {N(values[top[k]])}</span></td>" : "<td></td>");
            html.Append("</tr>");
        }
        html.Append("</table>");

        html.Append($"<h2>Attention of layer {figures.Layer + 1}: query to document</h2>");
        html.Append(Img(figures.AttentionHeads.Bytes, "image/png", "attention heads"));
        html.Append("<h2>Attention of every layer and head</h2>");
        html.Append(Img(figures.AttentionAllLayers.Bytes, "image/png", "attention of all layers"));

        html.Append("<h2>Attention entropy per head (nats; low = focused, ");
        html.Append($"uniform over {e.Length} tokens = {N(Math.Log(e.Length), "0.00")})</h2>");
        html.Append(EntropyTable(e.AttentionEntropy, Math.Log(e.Length)));

        html.Append("<h2>Hidden-state trajectories</h2>");
        html.Append($"<p class=\"note\">One PCA fitted on the chosen tokens' hidden states of all layers (L0 = embedding output); the axes explain "
            + $"{N(100 * e.ExplainedVariance1, "0.#")}% and {N(100 * e.ExplainedVariance2, "0.#")}% of their variance.</p>");
        html.Append(Img(figures.Trajectory.Bytes, "image/png", "trajectory"));
        html.Append(Img(figures.TrajectoryGif.Bytes, "image/gif", "animated trajectory"));
        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>Layers as rows, heads as columns, cells shaded by entropy relative to the uniform maximum.</summary>
    internal static string EntropyTable(double[][] entropy, double uniform)
    {
        var html = new StringBuilder("<table><tr><th></th>");
        int heads = entropy.Length > 0 ? entropy[0].Length : 0;
        for (int h = 0; h < heads; h++) html.Append($"<th>H{h + 1}</th>");
        html.Append("</tr>");
        for (int l = 0; l < entropy.Length; l++)
        {
            html.Append($"<tr><th>L{l + 1}</th>");
            foreach (double v in entropy[l])
                html.Append($"<td class=\"n\" style=\"background:{Heat(v, uniform)}\">{N(v, "0.00")}</td>");
            html.Append("</tr>");
        }
        return html.Append("</table>").ToString();
    }

    private static void AppendStrip(StringBuilder html, Explanation e, string name, double[] values)
    {
        double max = values.Select(Math.Abs).DefaultIfEmpty(0).Max();
        html.Append($"<p><b>{E(name)}</b><br>");
        for (int i = 0; i < e.Length; i++)
            html.Append($"<span class=\"tok {RoleClass(e.Roles[i])}\" style=\"background:{Heat(values[i], max)}\" title=\"{i}: {N(values[i])}\">{E(e.Tokens[i])}</span>");
        html.Append("</p>");
    }

    private static string Short(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
