using System.Text.Json;

namespace RerankKit.Explain;

/// <summary>Writes an explanation as <c>explain.json</c>. Attention weights are rounded to
/// <see cref="AttentionDecimals"/> decimals (they are T x T per head and layer, so this keeps a long pair's file
/// about a third smaller); every other number keeps double precision.</summary>
public static class ExplanationJson
{
    public const int AttentionDecimals = 6;

    public static void Write(Stream stream, Explanation e, string? modelName = null, int? layer = null, int topK = 10)
    {
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            if (modelName is not null) w.WriteString("model", modelName);
            w.WriteString("query", e.Query);
            w.WriteString("document", e.Document);
            Strings(w, "tokens", e.Tokens);
            Ints(w, "input_ids", e.InputIds);
            Ints(w, "token_type_ids", e.TokenTypeIds);
            Strings(w, "roles", e.Roles.Select(r => r.ToString().ToLowerInvariant()));
            w.WriteNumber("score", e.Score);
            w.WriteNumber("num_layers", e.NumLayers);
            w.WriteNumber("num_heads", e.NumHeads);
            w.WriteNumber("attention_decimals", AttentionDecimals);
            if (layer is not null) w.WriteNumber("layer", layer.Value);

            w.WriteStartArray("attentions");
            foreach (var attention in e.Attentions)
            {
                w.WriteStartArray();
                for (int h = 0; h < e.NumHeads; h++)
                {
                    w.WriteStartArray();
                    for (int i = 0; i < e.Length; i++)
                    {
                        w.WriteStartArray();
                        foreach (float p in attention.AsSpan((h * e.Length + i) * e.Length, e.Length))
                            w.WriteNumberValue(Math.Round((double)p, AttentionDecimals));
                        if (w.BytesPending > 1 << 16)
                            w.Flush();
                        w.WriteEndArray();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndArray();
            }
            w.WriteEndArray();

            Doubles(w, "saliency", e.Saliency);
            Doubles(w, "gradient_times_input", e.GradientTimesInput);
            var ig = e.IntegratedGradients;
            Doubles(w, "integrated_gradients", ig.Attributions);
            w.WriteStartObject("integrated_gradients_completeness");
            w.WriteNumber("steps", ig.Steps);
            w.WriteString("rule", ig.Rule == IntegrationRule.Trapezoid ? "trapezoid" : "riemann_middle");
            w.WriteNumber("attribution_sum", ig.AttributionSum);
            w.WriteNumber("input_score", ig.InputScore);
            w.WriteNumber("baseline_score", ig.BaselineScore);
            w.WriteNumber("score_delta", ig.ScoreDelta);
            w.WriteNumber("relative_error", double.IsFinite(ig.CompletenessError) ? ig.CompletenessError : -1);
            w.WriteEndObject();
            Doubles(w, "rollout", e.Rollout);

            w.WriteStartArray("attention_entropy");
            foreach (var layerEntropy in e.AttentionEntropy)
                Doubles(w, null, layerEntropy);
            w.WriteEndArray();

            w.WriteStartArray("pca");
            foreach (var t in e.Trajectories)
            {
                w.WriteStartObject();
                w.WriteNumber("position", t.Position);
                w.WriteString("token", t.Token);
                w.WriteStartArray("layers");
                for (int l = 0; l < t.X.Length; l++)
                {
                    w.WriteStartObject();
                    w.WriteNumber("layer", l);
                    w.WriteNumber("x", t.X[l]);
                    w.WriteNumber("y", t.Y[l]);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Doubles(w, "pca_explained_variance", [e.ExplainedVariance1, e.ExplainedVariance2]);

            w.WriteStartObject("top_tokens");
            TopTokens(w, "saliency", e, e.Saliency, topK);
            TopTokens(w, "gradient_times_input", e, e.GradientTimesInput, topK);
            TopTokens(w, "integrated_gradients", e, ig.Attributions, topK);
            TopTokens(w, "rollout", e, e.Rollout, topK);
            w.WriteEndObject();
            w.WriteEndObject();
        }
    }

    private static void TopTokens(Utf8JsonWriter w, string name, Explanation e, double[] values, int k)
    {
        w.WriteStartArray(name);
        foreach (int i in e.TopTokens(values, k))
        {
            w.WriteStartObject();
            w.WriteNumber("position", i);
            w.WriteString("token", e.Tokens[i]);
            w.WriteNumber("value", values[i]);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void Ints(Utf8JsonWriter w, string name, IEnumerable<int> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void Doubles(Utf8JsonWriter w, string? name, IEnumerable<double> values)
    {
        if (name is null) w.WriteStartArray(); else w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
