using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace RerankKit.Evaluation;

/// <summary>A <see cref="RerankingReport"/> as one JSON object (metrics keyed "first_stage" / "reranked" then
/// "ndcg@10", ...) and as a Markdown report.</summary>
public static class RerankingReportFormat
{
    public static JsonObject ToJson(RerankingReport report, double? indexSeconds = null)
    {
        var metrics = new JsonObject();
        foreach (var (system, values) in report.Metrics)
            metrics[system] = Numbers(values);
        var json = new JsonObject
        {
            ["dataset"] = report.Dataset,
            ["split"] = report.Split,
            ["first_stage"] = report.FirstStage,
            ["reranker"] = report.Reranker,
            ["queries"] = report.QueryCount,
            ["first_k"] = report.FirstStageK,
            ["k"] = report.K,
            ["index_seconds"] = indexSeconds,
            ["first_stage_ms_per_query"] = report.MeanStage1Milliseconds,
            ["first_stage_queries_per_second"] = report.FirstStageQueriesPerSecond,
            ["metrics"] = metrics,
        };
        if (report.Reranker is not null)
        {
            var relative = new JsonObject();
            foreach (string metric in report.MetricNames)
                relative[metric] = report.RelativeImprovement(metric);
            json["relative_improvement"] = relative;
        }
        if (report.Impact is { } impact)
        {
            json["impact"] = new JsonObject
            {
                ["mean_abs_rank_change"] = impact.MeanAbsoluteRankChange,
                ["max_abs_rank_change"] = impact.MaxAbsoluteRankChange,
                ["percent_moved_up"] = impact.PercentMovedUp,
                ["percent_moved_down"] = impact.PercentMovedDown,
                ["percent_unchanged"] = impact.PercentUnchanged,
                ["top1_change_rate"] = impact.Top1ChangeRate,
                ["mean_stage1_ms"] = impact.MeanStage1Milliseconds,
                ["mean_stage2_ms"] = impact.MeanStage2Milliseconds,
            };
        }
        if (report.Sweep.Count > 0)
        {
            json["sweep"] = new JsonArray(report.Sweep.Select(row => (JsonNode)new JsonObject
            {
                ["first_k"] = row.FirstStageK,
                ["metrics"] = Numbers(row.Metrics),
                ["mean_latency_ms"] = row.MeanLatencyMilliseconds,
                ["best_quality"] = row.IsBestQuality,
                ["fastest"] = row.IsFastest,
            }).ToArray());
            json["recommendation"] = report.Recommendation;
        }
        return json;
    }

    public static string ToMarkdown(RerankingReport report, double? indexSeconds = null)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"# Reranking evaluation: {report.Dataset} ({report.Split})");
        md.AppendLine();
        md.AppendLine(c, $"- first stage: **{report.FirstStage}**, top {report.FirstStageK} candidates; reranker: **{report.Reranker ?? "none"}**; k = {report.K}; {report.QueryCount} queries");
        if (indexSeconds is { } s)
            md.AppendLine(c, $"- index build: {s:F2} s");
        md.AppendLine(c, $"- first stage: {report.MeanStage1Milliseconds:F2} ms/query ({report.FirstStageQueriesPerSecond:F0} queries/s)");
        md.AppendLine();
        md.AppendLine("## Quality");
        md.AppendLine();
        bool reranked = report.Metrics.ContainsKey(RerankingReport.RerankedSystem);
        md.AppendLine(reranked ? "| metric | first stage | reranked | relative change |" : "| metric | first stage |");
        md.AppendLine(reranked ? "|---|---|---|---|" : "|---|---|");
        foreach (string metric in report.MetricNames)
        {
            double first = report.Metrics[RerankingReport.FirstStageSystem][metric];
            if (reranked)
                md.AppendLine(c, $"| {metric} | {first:F4} | {report.Metrics[RerankingReport.RerankedSystem][metric]:F4} | {Percent(report.RelativeImprovement(metric))} |");
            else
                md.AppendLine(c, $"| {metric} | {first:F4} |");
        }
        if (report.Impact is { } i)
        {
            md.AppendLine();
            md.AppendLine(c, $"## Reranking impact (final top {report.K})");
            md.AppendLine();
            md.AppendLine("| measure | value |");
            md.AppendLine("|---|---|");
            md.AppendLine(c, $"| mean absolute rank change | {i.MeanAbsoluteRankChange:F2} |");
            md.AppendLine(c, $"| max absolute rank change | {i.MaxAbsoluteRankChange} |");
            md.AppendLine(c, $"| moved up / down / unchanged | {i.PercentMovedUp:F1}% / {i.PercentMovedDown:F1}% / {i.PercentUnchanged:F1}% |");
            md.AppendLine(c, $"| top-1 changed | {100 * i.Top1ChangeRate:F1}% of queries |");
            md.AppendLine(c, $"| mean stage-1 / stage-2 latency | {i.MeanStage1Milliseconds:F2} ms / {i.MeanStage2Milliseconds:F2} ms |");
        }
        if (report.Sweep.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## First-stage K sweep");
            md.AppendLine();
            var names = report.Sweep[0].Metrics.Keys.ToList();
            md.AppendLine($"| first-k | {string.Join(" | ", names)} | ms/query | |");
            md.AppendLine($"|---|{string.Concat(names.Select(_ => "---|"))}---|---|");
            foreach (var row in report.Sweep)
                md.AppendLine(c, $"| {row.FirstStageK} | {string.Join(" | ", names.Select(n => row.Metrics[n].ToString("F4", c)))} | {row.MeanLatencyMilliseconds:F1} | {SweepMarks(row)} |");
            md.AppendLine();
            md.AppendLine(report.Recommendation);
        }
        return md.ToString();
    }

    public static string SweepMarks(SweepRow row) =>
        string.Join(", ", new[] { row.IsBestQuality ? "best quality" : null, row.IsFastest ? "fastest" : null }.OfType<string>());

    public static string Percent(double? relative) =>
        relative is { } r ? (r >= 0 ? "+" : "") + (100 * r).ToString("F1", CultureInfo.InvariantCulture) + "%" : "n/a";

    private static JsonObject Numbers(IReadOnlyDictionary<string, double> values)
    {
        var o = new JsonObject();
        foreach (var (k, v) in values)
            o[k] = v;
        return o;
    }
}
