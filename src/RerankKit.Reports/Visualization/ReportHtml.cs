using System.Globalization;
using System.Net;
using System.Text;

namespace RerankKit.Visualization;

/// <summary>report.html: one offline page (no external reference of any kind) with the checklist, the
/// statistics, hoverable SVG maps and the PNG views inlined as base64; two models sit side by side.</summary>
internal static class ReportHtml
{
    private const int MapWidth = 560;
    private const int MapHeight = 460;
    private const int HoverTextLength = 300;

    private const string Style = """
        body{font-family:"DejaVu Sans",Arial,sans-serif;margin:24px;color:#222;background:#fafafa}
        h1{margin-bottom:4px} h2{margin-top:32px;border-bottom:1px solid #ccc}
        .cols{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start} .col{flex:1;min-width:420px}
        table{border-collapse:collapse;margin:8px 0} td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
        td.num{text-align:right;font-variant-numeric:tabular-nums} .pass{color:#1a9850;font-weight:bold} .fail{color:#d73027;font-weight:bold}
        .verdict{font-size:1.1em;padding:8px 12px;background:#fff;border-left:6px solid #888;margin:8px 0}
        .verdict.ok{border-color:#1a9850} .verdict.ko{border-color:#d73027}
        img{max-width:100%;border:1px solid #ddd;background:#fff} svg.map{background:#fff;border:1px solid #ddd}
        svg.map circle{stroke:#fff;stroke-width:.5} svg.map circle.q{fill:#1f77b4} svg.map circle.p{fill:#ff7f0e}
        svg.map circle.hl{stroke:#000;stroke-width:2} svg.map line{stroke:#999;stroke-opacity:.35;stroke-width:.6}
        svg.map line.hl{stroke:#000;stroke-opacity:1;stroke-width:1.5}
        #tip{position:fixed;display:none;max-width:420px;background:#fff;border:1px solid #888;padding:6px 8px;font-size:13px;pointer-events:none;box-shadow:2px 2px 6px rgba(0,0,0,.2)}
        .legend span{display:inline-block;margin-right:14px} .dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px}
        """;

    private const string Script = """
        (function(){
          var tip=document.getElementById('tip');
          document.querySelectorAll('svg.map').forEach(function(svg){
            svg.addEventListener('mouseover',function(e){
              var t=e.target; if(t.tagName!=='circle') return;
              var pair=t.getAttribute('data-pair');
              svg.querySelectorAll('[data-pair="'+pair+'"]').forEach(function(x){x.classList.add('hl');});
              tip.textContent=t.getAttribute('data-text'); tip.style.display='block';
            });
            svg.addEventListener('mousemove',function(e){tip.style.left=(e.clientX+14)+'px';tip.style.top=(e.clientY+14)+'px';});
            svg.addEventListener('mouseout',function(e){
              var t=e.target; if(t.tagName!=='circle') return;
              svg.querySelectorAll('.hl').forEach(function(x){x.classList.remove('hl');});
              tip.style.display='none';
            });
          });
        })();
        """;

    public static string Render(IReadOnlyList<(EmbeddingAnalysis Analysis, Dictionary<string, byte[]> Images)> models)
    {
        var sb = new StringBuilder();
        string title = models.Count == 1 ? $"Embedding report: {models[0].Analysis.ModelName}" : $"Embedding comparison: {models[0].Analysis.ModelName} vs {models[1].Analysis.ModelName}";
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(title)).Append("</title>\n<style>\n")
            .Append(Style).Append("</style>\n</head>\n<body>\n<h1>").Append(E(title)).Append("</h1>\n");
        sb.Append("<p>Cosine similarity of each query to every positive; the diagonal pairs each query with its own positive. Generated ")
            .Append(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)).Append(".</p>\n");

        sb.Append("<h2>Checklist and statistics</h2>\n<div class=\"cols\">\n");
        foreach (var (a, _) in models)
        {
            sb.Append("<div class=\"col\">\n<h3>").Append(E(a.ModelName)).Append(" (").Append(a.Statistics.Pairs).Append(" pairs)</h3>\n");
            sb.Append("<div class=\"verdict ").Append(a.Checklist.AllPassed ? "ok" : "ko").Append("\">").Append(E(a.Checklist.Verdict)).Append("</div>\n");
            sb.Append("<table><tr><th></th><th>check</th><th>criterion</th><th>value</th></tr>\n");
            foreach (var item in a.Checklist.Items)
                sb.Append("<tr><td class=\"").Append(item.Passed ? "pass\">&#10003;" : "fail\">&#10007;").Append("</td><td>").Append(E(item.Name))
                    .Append("</td><td>").Append(E(item.Criterion)).Append("</td><td class=\"num\">").Append(F(item.Value)).Append("</td></tr>\n");
            sb.Append("</table>\n<table><tr><th>statistic</th><th>value</th></tr>\n");
            foreach (var (_, label, value) in EmbeddingReport.Metrics(a))
                sb.Append("<tr><td>").Append(E(label)).Append("</td><td class=\"num\">").Append(F(value)).Append("</td></tr>\n");
            sb.Append("</table>\n</div>\n");
        }
        sb.Append("</div>\n");

        if (models.Count == 2)
        {
            sb.Append("<h2>Differences</h2>\n<table><tr><th>statistic</th><th>").Append(E(models[0].Analysis.ModelName)).Append("</th><th>")
                .Append(E(models[1].Analysis.ModelName)).Append("</th><th>difference</th></tr>\n");
            foreach (var (_, label, a, b) in EmbeddingReport.Differences(models[0].Analysis, models[1].Analysis))
                sb.Append("<tr><td>").Append(E(label)).Append("</td><td class=\"num\">").Append(F(a)).Append("</td><td class=\"num\">").Append(F(b))
                    .Append("</td><td class=\"num\">").Append(double.IsFinite(b - a) ? (b - a).ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture) : "n/a").Append("</td></tr>\n");
            sb.Append("</table>\n");
        }

        if (models.Any(m => m.Analysis.Projections.Count > 0))
        {
            sb.Append("<h2>Interactive maps</h2>\n<p class=\"legend\"><span><i class=\"dot\" style=\"background:#1f77b4\"></i>query</span><span><i class=\"dot\" style=\"background:#ff7f0e\"></i>positive</span>Hover a point to read its text; its pair is highlighted.</p>\n");
            foreach (string method in new[] { "tsne", "umap" })
            {
                if (!models.Any(m => m.Analysis.Projections.Any(p => p.Method == method)))
                    continue;
                sb.Append("<div class=\"cols\">\n");
                foreach (var (a, _) in models)
                {
                    var projection = a.Projections.FirstOrDefault(p => p.Method == method);
                    if (projection is null)
                        continue;
                    sb.Append("<div class=\"col\"><h3>").Append(projection.Title).Append(": ").Append(E(a.ModelName)).Append("</h3>\n");
                    AppendMap(sb, projection, a.Pairs);
                    sb.Append("<p>").Append(E(projection.Details)).Append("; trustworthiness (k=5) ").Append(F(projection.Trustworthiness)).Append("</p></div>\n");
                }
                sb.Append("</div>\n");
            }
        }

        sb.Append("<h2>Views</h2>\n");
        foreach (string name in EmbeddingReport.ImageFiles)
        {
            if (!models.Any(m => m.Images.ContainsKey(name)))
                continue;
            sb.Append("<h3>").Append(E(name)).Append("</h3>\n<div class=\"cols\">\n");
            foreach (var (a, images) in models)
                if (images.TryGetValue(name, out var png))
                    sb.Append("<div class=\"col\"><img alt=\"").Append(E($"{name} of {a.ModelName}")).Append("\" src=\"data:image/png;base64,")
                        .Append(Convert.ToBase64String(png)).Append("\"></div>\n");
            sb.Append("</div>\n");
        }
        sb.Append("<div id=\"tip\"></div>\n<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static void AppendMap(StringBuilder sb, Projection projection, IReadOnlyList<QueryPositivePair> pairs)
    {
        var c = projection.Coordinates;
        int n = c.Length / 2;
        double minX = c.Min(p => p[0]), maxX = c.Max(p => p[0]), minY = c.Min(p => p[1]), maxY = c.Max(p => p[1]);
        const double pad = 12;
        double sx = (MapWidth - 2 * pad) / Math.Max(maxX - minX, 1e-12), sy = (MapHeight - 2 * pad) / Math.Max(maxY - minY, 1e-12);
        string X(double v) => (pad + (v - minX) * sx).ToString("0.#", CultureInfo.InvariantCulture);
        string Y(double v) => (MapHeight - pad - (v - minY) * sy).ToString("0.#", CultureInfo.InvariantCulture);
        sb.Append("<svg class=\"map\" width=\"").Append(MapWidth).Append("\" height=\"").Append(MapHeight).Append("\" viewBox=\"0 0 ")
            .Append(MapWidth).Append(' ').Append(MapHeight).Append("\" role=\"img\">\n");
        for (int i = 0; i < n; i++)
            sb.Append("<line data-pair=\"").Append(i).Append("\" x1=\"").Append(X(c[i][0])).Append("\" y1=\"").Append(Y(c[i][1]))
                .Append("\" x2=\"").Append(X(c[n + i][0])).Append("\" y2=\"").Append(Y(c[n + i][1])).Append("\"/>\n");
        for (int r = 0; r < c.Length; r++)
        {
            int i = r % n;
            bool query = r < n;
            string text = $"{(query ? "Query" : "Positive")} {i}: {Shorten(query ? pairs[i].Query : pairs[i].Positive)}";
            sb.Append("<circle class=\"").Append(query ? 'q' : 'p').Append("\" data-pair=\"").Append(i).Append("\" cx=\"").Append(X(c[r][0]))
                .Append("\" cy=\"").Append(Y(c[r][1])).Append("\" r=\"4\" data-text=\"").Append(E(text)).Append("\"><title>").Append(E(text)).Append("</title></circle>\n");
        }
        sb.Append("</svg>\n");
    }

    private static string Shorten(string text) => text.Length <= HoverTextLength ? text : text[..HoverTextLength] + "…";

    // The colon of "://" in user text is written as an entity: the page shows the same text, and a scan for
    // external references (http://, https://) finds none.
    private static string E(string text) => WebUtility.HtmlEncode(text).Replace("://", "&#58;//", StringComparison.Ordinal);

    private static string F(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";
}
